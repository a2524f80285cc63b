"""Run the federation gateway audit against a gateway and print per-suite results and the total.

    python conformance/run_audit.py --audit /work/audit/federation-gateway-audit \
        [--suite ID] [--punish | --both] [--gateway govgraph|apollo] [--json PATH]

Stages: check the setup -> run the audit's own runner (it launches ``run.sh <suite>``
per suite) -> read each suite's TAP log -> print the table -> write JSON (and the
failures list). Outside the default test run: it takes minutes, and needs Node 22+.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from audit_report import AuditRun, failures_markdown, render_table, write_json
from audit_runner import (
    AuditSetup,
    SetupError,
    audit_env,
    check_port_free,
    end_group,
    find_setup,
    run_runner,
    start_audit_server,
)
from audit_tap import SuiteResult, parse_tests_log
from replay import replay_failures

__all__ = ["main"]

REPO = Path(__file__).resolve().parent.parent

_GATEWAY_LOG_LINES = 15


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    modes = [False, True] if args.both else [args.punish]
    runs: list[AuditRun] = []
    logs: dict[str, str] = {}
    try:
        setup = find_setup(
            args.audit, args.node, args.tsx, args.gateway, args.apollo_modules, args.source
        )
        for punish in modes:
            check_port_free(args.gateway_port)
            check_port_free(args.audit_port)
            run, tails = _run_once(setup, args, punish)
            runs.append(run)
            logs.update(tails)
            print(render_table(run))
            print()
    except SetupError as exc:
        print(f"run_audit: {exc}", file=sys.stderr)
        return 2
    json_path = args.json or Path(f"/tmp/govgraph-conformance-{args.gateway}.json")
    write_json(json_path, runs)
    print(f"JSON report: {json_path}")
    if args.failures:
        args.failures.parent.mkdir(parents=True, exist_ok=True)
        args.failures.write_text(failures_markdown(runs, logs), encoding="utf-8")
        print(f"failures list: {args.failures}")
    if args.strict and any(run.passed != run.total or not run.total for run in runs):
        return 1
    return 0


def _run_once(
    setup: AuditSetup, args: argparse.Namespace, punish: bool
) -> tuple[AuditRun, dict[str, str]]:
    work: Path = args.work or Path(f"/tmp/govgraph-conformance-{args.gateway}")
    work = work / ("punish" if punish else "default")
    # Stale logs from an earlier run would be read as this run's results.
    shutil.rmtree(work / "logs", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    mode = "PUNISH_FOR_POOR_PLANS=1" if punish else "default"
    print(f"running the audit against {args.gateway} ({mode}); logs in {work / 'logs'}")
    started = time.monotonic()
    env = audit_env(setup, work, args.audit_port, args.gateway_port, punish)
    if args.source:
        env["GOVGRAPH_SOURCE"] = str(args.source.resolve())
    code = run_runner(
        setup, env, work, args.suite, args.audit_port, args.gateway_port, args.timeout
    )
    seconds = time.monotonic() - started
    suites = _collect(work / "logs", args.suite)
    if not suites:
        problem = f"audit runner exited with {code} before any suite ran; see the output above"
        suites = [SuiteResult(args.suite or "(all)", problem=problem)]
    if args.replay and any(suite.failed for suite in suites):
        print("asking the gateway the failed queries again for its error messages")
        # The runner's server is gone with it; the audit's own serve command replaces it.
        server = start_audit_server(setup, env, args.audit_port, work / "audit-server.log")
        try:
            replay_failures(suites, env, args.audit_port, args.gateway_port, work / "logs")
        finally:
            end_group(server)
    tails = {
        suite.suite: _tail(work / "logs" / f"{suite.suite}-gateway.log")
        for suite in suites
        if suite.failed or not suite.total
    }
    commit = _audit_commit(setup.audit)
    ours = _source_commit(args.source) if args.source else _git_head(REPO)
    return AuditRun(args.gateway, punish, commit, suites, seconds, ours), tails


def _collect(logs: Path, suite: str | None) -> list[SuiteResult]:
    results = []
    for log in sorted(logs.glob("*-tests.log")):
        suite_id = log.name.removesuffix("-tests.log")
        if suite and suite_id != suite:
            continue
        results.append(parse_tests_log(suite_id, log.read_text(encoding="utf-8", errors="replace")))
    return results


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-_GATEWAY_LOG_LINES:])


def _git_head(folder: Path) -> str:
    """The commit checked out in ``folder`` ('' outside git), with '+changes' if dirty."""
    probe = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return ""
    dirty = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return probe.stdout.strip() + ("+changes" if dirty else "")


def _source_commit(source: Path) -> str:
    """A snapshot's commit: its COMMIT file (write it when exporting), else its folder."""
    marker = source / "COMMIT"
    if marker.is_file():
        return marker.read_text(encoding="utf-8").strip()
    return f"snapshot {source}"


def _audit_commit(audit: Path) -> str:
    head = _git_head(audit)
    if head:
        return head
    marker = audit / "COMMIT"
    if marker.is_file():
        return marker.read_text(encoding="utf-8").strip()
    try:
        version = json.loads((audit / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"
    return f"package version {version}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Run the federation gateway audit against govgraph (or Apollo Gateway)."
    )
    parser.add_argument("--audit", type=Path, required=True, help="the audit's checkout")
    parser.add_argument("--suite", help="run one suite (default: all)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--punish", action="store_true", help="PUNISH_FOR_POOR_PLANS=1: wasteful plans fail"
    )
    group.add_argument("--both", action="store_true", help="a default run, then a punishing one")
    parser.add_argument("--gateway", choices=["govgraph", "apollo"], default="govgraph")
    parser.add_argument("--node", help="node 22+ (default: $AUDIT_NODE, else node on PATH)")
    parser.add_argument("--tsx", help="tsx binary (default: the checkout's, or ../tools)")
    parser.add_argument("--apollo-modules", help="node_modules with @apollo/gateway")
    parser.add_argument(
        "--source",
        type=Path,
        help="run govgraph's package from this snapshot folder (default: the working tree)",
    )
    parser.add_argument("--gateway-port", type=int, default=47180)
    parser.add_argument("--audit-port", type=int, default=47200)
    parser.add_argument("--work", type=Path, help="logs and supergraphs go here")
    parser.add_argument("--json", type=Path, help="JSON report path (default in /tmp)")
    parser.add_argument("--failures", type=Path, help="also write the failures as Markdown")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds for the run")
    parser.add_argument(
        "--no-replay",
        dest="replay",
        action="store_false",
        help="do not re-ask failed queries for the gateway's error messages",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if any test fails")
    return parser


if __name__ == "__main__":
    sys.exit(main())
