"""Medians per gateway and the ratios to Apollo Gateway, against the targets."""

from load import LoadResult
from report import RunRecord, summarise

__all__: list[str] = []


def _run(gateway: str, rps: float, p95: float, cpu: float) -> RunRecord:
    loaded = LoadResult(50, 20.0, int(rps * 20), rps, p95 / 2, p95, p95 * 1.5, p95 / 2, p95 * 2, 0)
    return RunRecord(gateway, 1, loaded, None, cpu, (1.0, 1.0, 1.0))


def test_three_times_the_rps_at_a_third_of_the_p95_meets_both_targets():
    summary = summarise(
        [_run("apollo", 100, 300, 100), _run("govgraph", 300, 100, 100)], reference="apollo"
    )
    ratio = summary["ratios"]["govgraph"]
    assert round(ratio["rps_ratio"], 2) == 3.0
    assert round(ratio["p95_ratio"], 2) == 0.33
    assert ratio["meets_rps_target"] and ratio["meets_p95_target"]


def test_twice_the_rps_misses_the_rps_target():
    summary = summarise(
        [_run("apollo", 100, 300, 100), _run("govgraph", 200, 100, 100)], reference="apollo"
    )
    assert not summary["ratios"]["govgraph"]["meets_rps_target"]


def test_medians_are_taken_over_rounds_and_rps_per_core_uses_the_cpu_share():
    summary = summarise(
        [_run("apollo", 100, 300, 50), _run("apollo", 120, 280, 50), _run("apollo", 500, 10, 50)],
        reference="apollo",
    )
    apollo = summary["gateways"]["apollo"]
    assert apollo["rps"] == 120
    assert apollo["p95_ms"] == 280
    assert apollo["rps_per_core"] == 240
