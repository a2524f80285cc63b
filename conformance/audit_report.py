"""Print, save and summarise audit results: the per-suite table, JSON, and the failures list."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit_tap import SuiteResult

__all__ = ["AuditRun", "failures_markdown", "render_table", "to_json", "write_json"]


@dataclass(frozen=True, slots=True)
class AuditRun:
    """One audit run: what ran against what, and every suite's results."""

    gateway: str
    punish: bool
    audit_commit: str
    suites: Sequence[SuiteResult]
    seconds: float
    gateway_commit: str = ""

    @property
    def passed(self) -> int:
        return sum(suite.passed for suite in self.suites)

    @property
    def total(self) -> int:
        return sum(suite.total for suite in self.suites)

    @property
    def suites_passed(self) -> int:
        return sum(1 for suite in self.suites if suite.total and not suite.failed)

    def headline(self) -> str:
        mode = "PUNISH_FOR_POOR_PLANS=1" if self.punish else "default"
        share = 100.0 * self.passed / self.total if self.total else 0.0
        return (
            f"{self.gateway} ({mode}): {self.passed}/{self.total} tests ({share:.2f}%), "
            f"{self.suites_passed}/{len(self.suites)} suites fully passing"
        )


def render_table(run: AuditRun) -> str:
    """Per-suite pass/fail counts, then the failed tests with their reasons, then the total."""
    width = max([len(suite.suite) for suite in run.suites] + [5])
    lines = [f"{'suite':<{width}}  pass  fail  result", "-" * (width + 22)]
    for suite in run.suites:
        if suite.total == 0:
            verdict = f"NO TESTS: {suite.problem}"
        else:
            verdict = "ok" if suite.failed == 0 else "FAIL"
        lines.append(f"{suite.suite:<{width}}  {suite.passed:>4}  {suite.failed:>4}  {verdict}")
    failures = [
        (suite.suite, case) for suite in run.suites for case in suite.cases if not case.passed
    ]
    if failures:
        lines += ["", "failed tests:"]
        for _, case in failures:
            lines.append(f"  {case.name}: {case.reason}")
            if case.query:
                lines.append(f"      query: {case.query}")
    lines += ["", f"TOTAL {run.headline()}"]
    return "\n".join(lines)


def to_json(run: AuditRun) -> dict[str, Any]:
    """The whole run as plain data (written next to the printed table)."""
    return {
        "gateway": run.gateway,
        "punish_for_poor_plans": run.punish,
        "audit_commit": run.audit_commit,
        "gateway_commit": run.gateway_commit,
        "seconds": round(run.seconds, 1),
        "passed": run.passed,
        "failed": run.total - run.passed,
        "total": run.total,
        "suites_passed": run.suites_passed,
        "suites_total": len(run.suites),
        "suites": [
            {
                "suite": suite.suite,
                "passed": suite.passed,
                "failed": suite.failed,
                "problem": suite.problem,
                "failures": [
                    {"test": case.name, "query": case.query, "reason": case.reason}
                    for case in suite.cases
                    if not case.passed
                ],
            }
            for suite in run.suites
        ],
    }


def failures_markdown(runs: Sequence[AuditRun], gateway_logs: dict[str, str]) -> str:
    """The list the planner engineer reads: every failing suite, one line per failed test."""
    lines = ["# Federation audit: failing suites", ""]
    for run in runs:
        lines += [
            f"## {run.headline()}",
            "",
            f"audit commit `{run.audit_commit}`, gateway commit `{run.gateway_commit}`",
            "",
        ]
        failing = [suite for suite in run.suites if suite.failed or not suite.total]
        if not failing:
            lines += ["All suites pass.", ""]
            continue
        for suite in failing:
            lines.append(f"### {suite.suite} ({suite.passed}/{suite.total} pass)")
            if not suite.total:
                lines.append(f"- no tests ran: {suite.problem}")
            for case in suite.cases:
                if case.passed:
                    continue
                lines.append(f"- `{case.name}`: {case.reason}")
                if case.query:
                    lines.append(f"  - query: `{case.query}`")
            tail = gateway_logs.get(suite.suite, "").strip()
            if tail:
                lines += ["", "  gateway log (last lines):", "", "  ```"]
                lines += [f"  {line}" for line in tail.splitlines()]
                lines += ["  ```"]
            lines.append("")
    return "\n".join(lines)


def write_json(path: Path, runs: Sequence[AuditRun]) -> None:
    """Save one run, or several (the default and the punishing one), as JSON."""
    payload: Any = to_json(runs[0]) if len(runs) == 1 else [to_json(run) for run in runs]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
