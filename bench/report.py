"""Summarise benchmark runs: per-run table, medians per gateway, ratios and targets."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from load import LoadResult

__all__ = ["RunRecord", "render", "summarise"]

TARGET_RPS_RATIO = 2.5  # govgraph must serve at least this many times Apollo's RPS
TARGET_P95_RATIO = 0.5  # at most this share of Apollo's p95


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One measured run of one gateway: loaded, unloaded, and the gateway's CPU use."""

    gateway: str
    round: int
    loaded: LoadResult
    unloaded: LoadResult | None
    cpu_percent: float  # of one core, over the loaded window
    load_average: tuple[float, float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gateway": self.gateway,
            "round": self.round,
            "loaded": self.loaded.to_dict(),
            "unloaded": self.unloaded.to_dict() if self.unloaded else None,
            "server_cpu_percent": round(self.cpu_percent, 1),
            "load_average_at_end": list(self.load_average),
        }


def summarise(records: list[RunRecord], reference: str) -> dict[str, Any]:
    """Medians per gateway over its runs, and each gateway's ratios to ``reference``."""
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
            ratios[name] = {
                "rps_ratio": rps_ratio,
                # Less sensitive to other work on the machine than RPS itself.
                "rps_per_core_ratio": per_core,
                "p95_ratio": p95_ratio,
                "meets_rps_target": rps_ratio is not None and rps_ratio >= TARGET_RPS_RATIO,
                "meets_p95_target": p95_ratio is not None and p95_ratio <= TARGET_P95_RATIO,
            }
    return {"reference": reference, "gateways": per_gateway, "ratios": ratios}


def render(records: list[RunRecord], summary: dict[str, Any], planning: dict[str, Any]) -> str:
    """The printed report: every run, the medians, the ratios, planning times."""
    lines = [
        "runs (loaded; unloaded = 1 connection)",
        f"{'gateway':<12}{'round':>6}{'RPS':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}"
        f"{'errors':>8}{'CPU %':>8}{'1-conn p50':>12}{'load avg':>10}",
    ]
    for record in records:
        loaded = record.loaded
        single = f"{record.unloaded.p50_ms:.2f}" if record.unloaded else "-"
        lines.append(
            f"{record.gateway:<12}{record.round:>6}{loaded.rps:>10.1f}{loaded.p50_ms:>10.1f}"
            f"{loaded.p95_ms:>10.1f}{loaded.p99_ms:>10.1f}{loaded.errors:>8}"
            f"{record.cpu_percent:>8.0f}{single:>12}{record.load_average[0]:>10.2f}"
        )
    lines += ["", "medians per gateway"]
    lines.append(
        f"{'gateway':<12}{'RPS':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'CPU %':>8}"
        f"{'RPS/core':>10}{'1-conn p50':>12}{'1-conn p99':>12}"
    )
    for name, figures in summary["gateways"].items():
        single50 = figures["unloaded_p50_ms"]
        single99 = figures["unloaded_p99_ms"]
        lines.append(
            f"{name:<12}{figures['rps']:>10.1f}{figures['p50_ms']:>10.1f}{figures['p95_ms']:>10.1f}"
            f"{figures['p99_ms']:>10.1f}{figures['server_cpu_percent']:>8.0f}"
            f"{figures['rps_per_core']:>10.1f}"
            f"{(f'{single50:.2f}' if single50 is not None else '-'):>12}"
            f"{(f'{single99:.2f}' if single99 is not None else '-'):>12}"
        )
    for name, ratio in summary["ratios"].items():
        rps, p95 = ratio["rps_ratio"], ratio["p95_ratio"]
        lines.append(
            f"\n{name} / {summary['reference']}: RPS x{rps:.2f} "
            f"(target >= {TARGET_RPS_RATIO}: {'met' if ratio['meets_rps_target'] else 'NOT met'}), "
            f"p95 x{p95:.2f} "
            f"(target <= {TARGET_P95_RATIO}: {'met' if ratio['meets_p95_target'] else 'NOT met'})"
        )
        if ratio["rps_per_core_ratio"] is not None:
            lines.append(f"  RPS per core of CPU used: x{ratio['rps_per_core_ratio']:.2f}")
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


def _median(values: Any) -> float:
    items = list(values)
    return float(statistics.median(items)) if items else 0.0
