"""Summarise benchmark runs: per-run table, medians per gateway, ratios and targets."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from load import LoadResult

__all__ = [
    "CACHE_STATS_MARK",
    "RunRecord",
    "Targeted",
    "cache_figures",
    "parse_cache_stats",
    "render",
    "summarise",
]

# What the gateway logs once at shutdown when a cache is on; its JSON follows to the line's end.
CACHE_STATS_MARK = "cache stats at shutdown: "
_LEVELS = ("fetches", "entities", "responses")


class Targeted(Protocol):
    """A gateway configuration's own targets against the reference (None: no target)."""

    @property
    def target_rps_ratio(self) -> float | None: ...  # at least this many times its RPS

    @property
    def target_p95_ratio(self) -> float | None: ...  # at most this share of its p95


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One measured run of one gateway: loaded, unloaded, and the gateway's CPU use."""

    gateway: str
    round: int
    loaded: LoadResult
    unloaded: LoadResult | None
    cpu_percent: float  # of one core, over the loaded window
    load_average: tuple[float, float, float]
    # GraphQL requests the four subgraphs answered during the loaded window.
    subgraph_calls: int | None = None
    # The gateway's own cache counters, from its log at shutdown: the whole run, warm-up too.
    cache_stats: dict[str, Any] | None = None

    @property
    def requests_sent(self) -> int:
        """The loaded window's requests whose subgraph calls ``subgraph_calls`` holds.

        Those cut off when wrk stopped count: the gateway still made their calls.
        """
        return self.loaded.sent if self.loaded.sent is not None else self.loaded.requests

    @property
    def calls_per_request(self) -> float | None:
        if self.subgraph_calls is None or not self.requests_sent:
            return None
        return self.subgraph_calls / self.requests_sent

    def to_dict(self) -> dict[str, Any]:
        return {
            "gateway": self.gateway,
            "round": self.round,
            "loaded": self.loaded.to_dict(),
            "unloaded": self.unloaded.to_dict() if self.unloaded else None,
            "server_cpu_percent": round(self.cpu_percent, 1),
            "load_average_at_end": list(self.load_average),
            "subgraph_calls": self.subgraph_calls,
            "subgraph_calls_per_request": self.calls_per_request,
            "cache_stats": self.cache_stats,
        }


def parse_cache_stats(log_text: str) -> dict[str, Any] | None:
    """The counters in the last stats line of a gateway's log; None when there is none.

    A line cut short (the process killed while writing it) counts as none.
    """
    for line in reversed(log_text.splitlines()):
        _, mark, rest = line.partition(CACHE_STATS_MARK)
        if not mark:
            continue
        try:
            stats = json.loads(rest)
        except ValueError:
            return None
        return stats if isinstance(stats, dict) else None
    return None


def cache_figures(stats: Mapping[str, Any]) -> dict[str, float | int | None]:
    """Hit rate per cache level (None for a level that looked nothing up) and calls saved.

    ``subgraph_calls_saved`` is the fetch and entity levels' count; a response-cache hit
    saves the fetches its response took, counted apart in ``responses_calls_saved``.
    """
    figures: dict[str, float | int | None] = {}
    for level in _LEVELS:
        counts = stats.get(level) or {}
        looked = int(counts.get("hits", 0)) + int(counts.get("misses", 0))
        figures[f"{level}_hit_rate"] = int(counts.get("hits", 0)) / looked if looked else None
    saved = {
        level: int((stats.get(level) or {}).get("subgraph_calls_saved", 0)) for level in _LEVELS
    }
    figures["subgraph_calls_saved"] = saved["fetches"] + saved["entities"]
    figures["responses_calls_saved"] = (
        saved["responses"] if figures["responses_hit_rate"] is not None else None
    )
    return figures


def summarise(
    records: list[RunRecord], reference: str, targets: Mapping[str, Targeted]
) -> dict[str, Any]:
    """Medians per gateway over its runs, and each gateway's ratios to ``reference``.

    ``targets`` holds each configuration's own targets; a gateway missing from it, or a
    target set to None, is compared without one.
    """
    per_gateway: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(record.gateway for record in records):
        runs = [record for record in records if record.gateway == name]
        unloaded = [record.unloaded for record in runs if record.unloaded is not None]
        per_gateway[name] = {
            "runs": len(runs),
            "rps": _median(run.loaded.rps for run in runs),
            "p50_ms": _median(run.loaded.p50_ms for run in runs),
            "p95_ms": _median(run.loaded.p95_ms for run in runs),
            "p99_ms": _median(run.loaded.p99_ms for run in runs),
            "errors": sum(run.loaded.errors for run in runs),
            "server_cpu_percent": _median(run.cpu_percent for run in runs),
            "rps_per_core": _median(
                run.loaded.rps / (run.cpu_percent / 100.0) if run.cpu_percent else 0.0
                for run in runs
            ),
            "unloaded_p50_ms": _median(u.p50_ms for u in unloaded) if unloaded else None,
            "unloaded_p99_ms": _median(u.p99_ms for u in unloaded) if unloaded else None,
            "subgraph_calls_per_request": _median_or_none(run.calls_per_request for run in runs),
            "cache": _cache_medians(run.cache_stats for run in runs),
        }
    ratios: dict[str, dict[str, Any]] = {}
    base = per_gateway.get(reference)
    if base:
        for name, figures in per_gateway.items():
            if name == reference:
                continue
            rps_ratio = figures["rps"] / base["rps"] if base["rps"] else None
            p95_ratio = figures["p95_ms"] / base["p95_ms"] if base["p95_ms"] else None
            per_core = (
                figures["rps_per_core"] / base["rps_per_core"] if base["rps_per_core"] else None
            )
            spec = targets.get(name)
            rps_target = spec.target_rps_ratio if spec else None
            p95_target = spec.target_p95_ratio if spec else None
            ratios[name] = {
                "rps_ratio": rps_ratio,
                # Less sensitive to other work on the machine than RPS itself.
                "rps_per_core_ratio": per_core,
                "p95_ratio": p95_ratio,
                "target_rps_ratio": rps_target,
                "meets_rps_target": None
                if rps_target is None
                else rps_ratio is not None and rps_ratio >= rps_target,
                "target_p95_ratio": p95_target,
                "meets_p95_target": None
                if p95_target is None
                else p95_ratio is not None and p95_ratio <= p95_target,
                **_calls_saved(
                    base["subgraph_calls_per_request"],
                    figures["subgraph_calls_per_request"],
                    [run for run in records if run.gateway == name],
                ),
            }
    return {"reference": reference, "gateways": per_gateway, "ratios": ratios}


def _calls_saved(
    base_per_request: float | None, own_per_request: float | None, runs: list[RunRecord]
) -> dict[str, float | int | None]:
    """Subgraph calls spared per request against the reference, and over the runs' windows.

    The total is what the reference would have called for the requests these runs served,
    less what they did call.
    """
    if base_per_request is None or own_per_request is None:
        return {"subgraph_calls_saved_per_request": None, "subgraph_calls_saved": None}
    counted = [run for run in runs if run.subgraph_calls is not None]
    total = sum(base_per_request * run.requests_sent - (run.subgraph_calls or 0) for run in counted)
    return {
        "subgraph_calls_saved_per_request": base_per_request - own_per_request,
        "subgraph_calls_saved": round(total),
    }


def _cache_medians(all_stats: Iterable[dict[str, Any] | None]) -> dict[str, Any] | None:
    figures = [cache_figures(stats) for stats in all_stats if stats is not None]
    if not figures:
        return None
    medians: dict[str, Any] = {
        key: _median_or_none(run[key] for run in figures) for key in figures[0]
    }
    medians["runs_with_stats"] = len(figures)
    return medians


def render(records: list[RunRecord], summary: dict[str, Any], planning: dict[str, Any]) -> str:
    """The printed report: every run, the medians, the ratios, cache counters, planning."""
    lines = [
        "runs (loaded; unloaded = 1 connection; calls/req = subgraph calls per request)",
        f"{'gateway':<20}{'round':>6}{'RPS':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"
        f"{'errors':>8}{'CPU %':>8}{'1-conn p50':>12}{'calls/req':>11}{'load avg':>10}",
    ]
    for record in records:
        loaded = record.loaded
        single = f"{record.unloaded.p50_ms:.2f}" if record.unloaded else "-"
        lines.append(
            f"{record.gateway:<20}{record.round:>6}{loaded.rps:>10.1f}{loaded.p50_ms:>10.1f}"
            f"{loaded.p95_ms:>10.1f}{loaded.p99_ms:>10.1f}{loaded.errors:>8}"
            f"{record.cpu_percent:>8.0f}{single:>12}{_number(record.calls_per_request):>11}"
            f"{record.load_average[0]:>10.2f}"
        )
    lines += ["", "medians per gateway"]
    lines.append(
        f"{'gateway':<20}{'RPS':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'CPU %':>8}"
        f"{'RPS/core':>10}{'1-conn p50':>12}{'1-conn p99':>12}{'calls/req':>11}"
    )
    for name, figures in summary["gateways"].items():
        lines.append(
            f"{name:<20}{figures['rps']:>10.1f}{figures['p50_ms']:>10.1f}{figures['p95_ms']:>10.1f}"
            f"{figures['p99_ms']:>10.1f}{figures['server_cpu_percent']:>8.0f}"
            f"{figures['rps_per_core']:>10.1f}"
            f"{_number(figures['unloaded_p50_ms']):>12}{_number(figures['unloaded_p99_ms']):>12}"
            f"{_number(figures['subgraph_calls_per_request']):>11}"
        )
    reference = summary["reference"]
    base_calls = summary["gateways"].get(reference, {}).get("subgraph_calls_per_request")
    for name, ratio in summary["ratios"].items():
        rps, p95 = ratio["rps_ratio"], ratio["p95_ratio"]
        rps_part = f"RPS x{_number(rps)}" + _target(
            ">=", ratio["target_rps_ratio"], ratio["meets_rps_target"]
        )
        p95_part = f"p95 x{_number(p95)}" + _target(
            "<=", ratio["target_p95_ratio"], ratio["meets_p95_target"]
        )
        lines.append(f"\n{name} / {reference}: {rps_part}, {p95_part}")
        if ratio["rps_per_core_ratio"] is not None:
            lines.append(f"  RPS per core of CPU used: x{ratio['rps_per_core_ratio']:.2f}")
        saved = ratio["subgraph_calls_saved_per_request"]
        if saved is not None:
            own = summary["gateways"][name]["subgraph_calls_per_request"]
            lines.append(
                f"  subgraph calls per request: {own:.2f} against {reference}'s "
                f"{base_calls:.2f}, so {saved:.2f} saved per request "
                f"({ratio['subgraph_calls_saved']} over its measured window)"
            )
    cached = [record for record in records if record.cache_stats is not None]
    if cached:
        lines += [
            "",
            "cache counters (the gateway's own, logged at shutdown: they include the warm-up,",
            "the answer checks and the 1-connection run, not only the measured window)",
        ]
        for record in cached:
            assert record.cache_stats is not None  # for the type checker: filtered above
            lines.append(
                f"  {record.gateway} round {record.round}: " + _cache_line(record.cache_stats)
            )
    if planning:
        lines += ["", "planning time for the query (ms; cold = first plan on a fresh planner)"]
        for name, figures in planning.items():
            if "error" in figures:
                lines.append(f"  {name}: unavailable ({figures['error']})")
                continue
            # Significant digits, not decimals: a cache hit is microseconds, a plan milliseconds.
            parts = [f"{key.removesuffix('_ms')} {value:.3g}" for key, value in figures.items()]
            lines.append(f"  {name}: " + ", ".join(parts))
    return "\n".join(lines)


def _target(sign: str, target: float | None, met: bool | None) -> str:
    # A configuration without this target gets its ratio alone, no verdict.
    if target is None:
        return ""
    return f" (target {sign} {target:g}: {'met' if met else 'NOT met'})"


def _cache_line(stats: Mapping[str, Any]) -> str:
    figures = cache_figures(stats)
    parts = [
        f"{label} hit rate {_percent(figures[f'{level}_hit_rate'])}"
        for label, level in (
            ("entity", "entities"),
            ("fetch", "fetches"),
            ("response", "responses"),
        )
        if level != "responses" or figures["responses_hit_rate"] is not None
    ]
    saved = f"subgraph calls saved {figures['subgraph_calls_saved']} (fetches+entities)"
    if figures["responses_calls_saved"] is not None:
        saved += f", {figures['responses_calls_saved']} (responses)"
    return ", ".join([*parts, saved])


def _percent(rate: float | int | None) -> str:
    return "-" if rate is None else f"{100.0 * rate:.2f}%"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _median(values: Any) -> float:
    items = list(values)
    return float(statistics.median(items)) if items else 0.0


def _median_or_none(values: Iterable[float | int | None]) -> float | None:
    items = [value for value in values if value is not None]
    return float(statistics.median(items)) if items else None
