"""Read the audit's per-suite TAP log into pass/fail results with a one-line reason each.

The audit's runner writes ``logs/<suite>-tests.log`` in node:test's TAP format. A test
line is ``ok N - <suite>_<i>`` or ``not ok N - <suite>_<i>``, followed by an indented
YAML block; for a failed comparison the block holds ``error`` (the query and a diff),
``expected`` and ``actual`` (both ``{data, errors}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from audit_diff import first_difference

__all__ = ["CaseResult", "SuiteResult", "parse_tests_log"]

_TEST_LINE = re.compile(r"^(?P<indent>\s*)(?P<status>ok|not ok) \d+ - (?P<name>\S+)\s*$")
_QUERY_LIMIT = 240


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One test of a suite: its name (``<suite>_<i>``), outcome, and for a failure why."""

    name: str
    passed: bool
    query: str = ""
    reason: str = ""


@dataclass(slots=True)
class SuiteResult:
    """All tests of one suite; ``problem`` says why a suite reported no tests at all."""

    suite: str
    cases: list[CaseResult] = field(default_factory=list)
    problem: str = ""

    @property
    def passed(self) -> int:
        return sum(1 for case in self.cases if case.passed)

    @property
    def failed(self) -> int:
        return sum(1 for case in self.cases if not case.passed)

    @property
    def total(self) -> int:
        return len(self.cases)


def parse_tests_log(suite: str, text: str) -> SuiteResult:
    """Results of ``suite`` from its TAP log; a suite-level line is not a test."""
    result = SuiteResult(suite)
    lines = text.splitlines()
    prefix = f"{suite}_"
    for index, line in enumerate(lines):
        match = _TEST_LINE.match(line)
        if match is None or not match["name"].startswith(prefix):
            continue
        if match["status"] == "ok":
            result.cases.append(CaseResult(match["name"], passed=True))
            continue
        block = _yaml_block(lines, index + 1, len(match["indent"]))
        query, reason = _explain(block)
        result.cases.append(CaseResult(match["name"], False, query, reason))
    if not result.cases:
        result.problem = _suite_problem(text)
    return result


def _yaml_block(lines: list[str], start: int, indent: int) -> str:
    """The ``---`` ... ``...`` block after a test line, dedented."""
    if start >= len(lines) or lines[start].strip() != "---":
        return ""
    body: list[str] = []
    margin = indent + 2
    for line in lines[start + 1 :]:
        if line.strip() == "..." and len(line) - len(line.lstrip()) <= margin:
            break
        body.append(line[margin:] if line[:margin].strip() == "" else line.lstrip())
    return "\n".join(body)


def _explain(block: str) -> tuple[str, str]:
    """(query on one line, why it failed) from a failed test's YAML block."""
    try:
        details = yaml.safe_load(_mark_empty_maps(block)) if block else None
    except yaml.YAMLError:
        details = None
    if not isinstance(details, dict):
        return "", "failed (no details in the log)"
    error = str(details.get("error") or "")
    query = _query_of(error)
    if "expected" in details and "actual" in details:
        difference = first_difference(details["expected"], details["actual"])
        if difference == "no difference":
            # The YAML lost a distinction (e.g. [] vs {}); the runner's own diff has it.
            difference = _diff_lines(error) or difference
        return query, difference
    # Not a comparison: the request itself failed (gateway down, not JSON, timeout).
    message = " ".join(error.split()) or str(details.get("failureType") or "failed")
    return query, message[:300]


def _mark_empty_maps(block: str) -> str:
    """node writes an empty object or list as a bare ``key:``; YAML would read null."""
    lines = block.splitlines()
    marked = []
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped.endswith(":") and not stripped.lstrip().startswith(("-", "#")):
            indent = len(line) - len(line.lstrip())
            following = next((later for later in lines[index + 1 :] if later.strip()), "")
            if len(following) - len(following.lstrip()) <= indent:
                stripped += " {}"
        marked.append(stripped)
    return "\n".join(marked)


def _diff_lines(error: str) -> str:
    """The +/- lines of the runner's diff, joined on one line."""
    body = error.split("+ Received", 1)[-1].split("+ actual - expected", 1)[0]
    changed = [" ".join(line.split()) for line in body.splitlines() if line[:1] in "+-"]
    return ("diff: " + " ".join(changed))[:300] if changed else ""


def _query_of(error: str) -> str:
    """The query quoted in an assertion message, whitespace collapsed."""
    _, sep, rest = error.partition("Test failed for query")
    if not sep:
        return ""
    query_text = rest.split("- Expected", 1)[0]
    query = " ".join(query_text.split())
    return query if len(query) <= _QUERY_LIMIT else query[: _QUERY_LIMIT - 1] + "…"


def _suite_problem(text: str) -> str:
    """Why a log holds no test lines: the last error-looking line, else 'no tests ran'."""
    for line in reversed(text.splitlines()):
        stripped = line.strip().lstrip("#").strip()
        if any(word in stripped.lower() for word in ("error", "failed", "cannot")):
            return stripped[:300]
    return "no tests ran (see the suite's logs)"
