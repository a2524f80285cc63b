"""Medians per gateway, ratios to Apollo Gateway against each configuration's own targets,
subgraph calls per request, and the cache counters read from a gateway's log."""

from dataclasses import dataclass
from typing import Any

from gateways import GATEWAYS
from load import LoadResult
from report import RunRecord, cache_figures, parse_cache_stats, render, summarise

__all__: list[str] = []


@dataclass(frozen=True)
class _Targets:
    target_rps_ratio: float | None = None
    target_p95_ratio: float | None = None


PLAIN = {"govgraph": _Targets(2.5, 0.5)}

STATS_LINE = (
    "INFO:govgraph.cache:cache stats at shutdown: "
    '{"fetches":{"hits":2,"misses":2,"stores":2,"uncacheable":0,"subgraph_calls_saved":13,'
    '"deduplicated":0,"hit_rate":0.5},'
    '"entities":{"hits":9,"misses":1,"stores":1,"uncacheable":0,"subgraph_calls_saved":0,'
    '"deduplicated":0,"hit_rate":0.9},'
    '"responses":{"hits":0,"misses":0,"stores":0,"uncacheable":0,"subgraph_calls_saved":0,'
    '"deduplicated":0,"hit_rate":0.0},'
    '"errors":0,"skipped":0,"invalidations":0}'
)


def _run(
    gateway: str,
    rps: float,
    p95: float,
    cpu: float,
    calls: int | None = None,
    stats: dict[str, Any] | None = None,
) -> RunRecord:
    loaded = LoadResult(50, 20.0, int(rps * 20), rps, p95 / 2, p95, p95 * 1.5, p95 / 2, p95 * 2, 0)
    return RunRecord(gateway, 1, loaded, None, cpu, (1.0, 1.0, 1.0), calls, stats)


def test_three_times_the_rps_at_a_third_of_the_p95_meets_both_targets():
    summary = summarise(
        [_run("apollo", 100, 300, 100), _run("govgraph", 300, 100, 100)], "apollo", PLAIN
    )
    ratio = summary["ratios"]["govgraph"]
    assert round(ratio["rps_ratio"], 2) == 3.0
    assert round(ratio["p95_ratio"], 2) == 0.33
    assert ratio["meets_rps_target"] and ratio["meets_p95_target"]


def test_twice_the_rps_misses_the_rps_target():
    summary = summarise(
        [_run("apollo", 100, 300, 100), _run("govgraph", 200, 100, 100)], "apollo", PLAIN
    )
    assert summary["ratios"]["govgraph"]["meets_rps_target"] is False


def test_medians_are_taken_over_rounds_and_rps_per_core_uses_the_cpu_share():
    summary = summarise(
        [_run("apollo", 100, 300, 50), _run("apollo", 120, 280, 50), _run("apollo", 500, 10, 50)],
        "apollo",
        {},
    )
    apollo = summary["gateways"]["apollo"]
    assert apollo["rps"] == 120
    assert apollo["p95_ms"] == 280
    assert apollo["rps_per_core"] == 240


def test_each_configuration_is_judged_by_its_own_targets_and_none_without_one():
    records = [
        _run("apollo", 100, 300, 100),
        _run("govgraph", 300, 100, 100),  # x3: meets 2.5
        _run("govgraph+entities", 300, 100, 100),  # x3: misses 10
        _run("govgraph+responses", 300, 100, 100),
    ]
    targets = {
        "govgraph": _Targets(2.5, 0.5),
        "govgraph+entities": _Targets(10.0),
        "govgraph+responses": _Targets(),
    }
    ratios = summarise(records, "apollo", targets)["ratios"]
    assert ratios["govgraph"]["meets_rps_target"] is True
    assert ratios["govgraph+entities"]["meets_rps_target"] is False
    assert ratios["govgraph+entities"]["target_p95_ratio"] is None
    assert ratios["govgraph+entities"]["meets_p95_target"] is None
    assert ratios["govgraph+responses"]["meets_rps_target"] is None

    lines = render(records, summarise(records, "apollo", targets), {}).splitlines()
    plain = next(line for line in lines if line.startswith("govgraph / apollo"))
    entities = next(line for line in lines if line.startswith("govgraph+entities / apollo"))
    responses = next(line for line in lines if line.startswith("govgraph+responses / apollo"))
    assert "(target >= 2.5: met)" in plain and "(target <= 0.5: met)" in plain
    assert "(target >= 10: NOT met)" in entities and entities.count("target") == 1
    assert "target" not in responses and "RPS x3.00" in responses


def test_the_benchmark_configurations_carry_the_issue_targets():
    assert (GATEWAYS["govgraph"].target_rps_ratio, GATEWAYS["govgraph"].target_p95_ratio) == (
        2.5,
        0.5,
    )
    entities = GATEWAYS["govgraph+entities"]
    assert (entities.target_rps_ratio, entities.target_p95_ratio) == (10.0, None)
    responses = GATEWAYS["govgraph+responses"]
    assert (responses.target_rps_ratio, responses.target_p95_ratio) == (None, None)
    assert GATEWAYS["apollo"].target_rps_ratio is None


def test_calls_per_request_and_calls_saved_against_the_reference():
    # Apollo: 2000 requests, 32000 calls (16 each); cached: 4000 requests, 400 calls (0.1).
    records = [
        _run("apollo", 100, 300, 100, calls=32_000),
        _run("govgraph+entities", 200, 100, 100, calls=400),
    ]
    summary = summarise(records, "apollo", {})
    assert records[0].calls_per_request == 16.0
    assert summary["gateways"]["apollo"]["subgraph_calls_per_request"] == 16.0
    assert summary["gateways"]["govgraph+entities"]["subgraph_calls_per_request"] == 0.1
    ratio = summary["ratios"]["govgraph+entities"]
    assert round(ratio["subgraph_calls_saved_per_request"], 6) == 15.9
    # What Apollo would have called for the same 4000 requests, less the 400 made.
    assert ratio["subgraph_calls_saved"] == 16 * 4000 - 400
    line = next(line for line in render(records, summary, {}).splitlines() if "saved per" in line)
    assert "0.10 against apollo's 16.00, so 15.90 saved per request (63600 " in line


def test_calls_saved_sums_over_rounds_against_the_reference_median():
    records = [
        _run("apollo", 100, 300, 100, calls=30_000),  # 15 per request
        _run("apollo", 100, 300, 100, calls=34_000),  # 17: median 16
        _run("govgraph", 100, 300, 100, calls=20_000),  # 10 per request
        _run("govgraph", 50, 300, 100, calls=12_000),  # 1000 requests, 12 per request
    ]
    ratio = summarise(records, "apollo", {})["ratios"]["govgraph"]
    assert ratio["subgraph_calls_saved_per_request"] == 16 - 11
    assert ratio["subgraph_calls_saved"] == (16 * 2000 - 20_000) + (16 * 1000 - 12_000)


def test_without_call_counts_nothing_is_claimed_saved():
    records = [_run("apollo", 100, 300, 100), _run("govgraph", 300, 100, 100, calls=100)]
    summary = summarise(records, "apollo", {})
    assert summary["gateways"]["apollo"]["subgraph_calls_per_request"] is None
    assert summary["ratios"]["govgraph"]["subgraph_calls_saved"] is None
    assert "saved per request" not in render(records, summary, {})


def test_the_stats_line_is_read_from_the_end_of_a_gateway_log():
    log = "INFO:     Started server process [7]\n" + STATS_LINE + "\nINFO:     Finished\n"
    stats = parse_cache_stats(log)
    assert stats is not None
    assert stats["fetches"]["subgraph_calls_saved"] == 13
    assert stats["entities"]["hits"] == 9
    figures = cache_figures(stats)
    assert figures["entities_hit_rate"] == 0.9
    assert figures["fetches_hit_rate"] == 0.5
    assert figures["responses_hit_rate"] is None  # the response cache looked nothing up
    assert figures["subgraph_calls_saved"] == 13
    assert figures["responses_calls_saved"] is None


def test_a_log_without_the_stats_line_or_with_it_cut_short_gives_none():
    assert parse_cache_stats("") is None
    assert parse_cache_stats("INFO:     Started server process [7]\nWARNING: other\n") is None
    assert parse_cache_stats(STATS_LINE[:-20]) is None


def test_cache_counters_reach_the_summary_the_printout_and_the_json():
    stats = parse_cache_stats(STATS_LINE)
    records = [
        _run("apollo", 100, 300, 100, calls=32_000),
        _run("govgraph+entities", 1000, 30, 100, calls=0, stats=stats),
    ]
    summary = summarise(records, "apollo", {})
    cache = summary["gateways"]["govgraph+entities"]["cache"]
    assert cache["entities_hit_rate"] == 0.9 and cache["runs_with_stats"] == 1
    assert summary["gateways"]["apollo"]["cache"] is None
    text = render(records, summary, {})
    assert "include the warm-up" in text
    assert (
        "govgraph+entities round 1: entity hit rate 90.00%, fetch hit rate 50.00%, "
        "subgraph calls saved 13 (fetches+entities)"
    ) in text
    as_json = records[1].to_dict()
    assert as_json["cache_stats"] == stats
    assert as_json["subgraph_calls"] == 0 and as_json["subgraph_calls_per_request"] == 0.0


def test_requests_cut_off_at_the_end_count_since_the_gateway_still_made_their_calls():
    loaded = LoadResult(50, 5.0, 380, 76.0, 500.0, 2000.0, 3000.0, 600.0, 3500.0, 0, sent=400)
    record = RunRecord("apollo", 1, loaded, None, 100.0, (1.0, 1.0, 1.0), 6400)
    assert record.calls_per_request == 16.0
    older = LoadResult(50, 5.0, 400, 80.0, 500.0, 2000.0, 3000.0, 600.0, 3500.0, 0)
    assert (
        RunRecord("apollo", 1, older, None, 100.0, (1.0, 1.0, 1.0), 6400).calls_per_request == 16.0
    )
