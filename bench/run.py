"""Benchmark govgraph side by side with Apollo Gateway over the same four subgraphs.

    python bench/run.py [--duration 20] [--warmup 15] [--connections 50] [--rounds 2]
                        [--only NAME[,..]] [--json PATH]

Stages: check what is installed (nothing is installed here) -> time query planning ->
start the subgraphs on the load core -> for each round, each gateway in turn: start it
pinned to the gateway core, check its answer, warm up, measure under load (wrk on the
load core) with its CPU time and the subgraph calls it made, measure unloaded latency
(1 connection), stop it and read its cache counters from its log -> print the table,
medians, ratios against each configuration's targets -> write JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from expected import expected_data, is_non_trivial
from gateways import (
    BENCH,
    DEFAULT_GATEWAYS,
    GATEWAYS,
    REPO,
    GatewaySpec,
    govgraph_source,
    missing_requirements,
)
from load import run_wrk
from processes import Pinned, cpu_seconds, port_in_use, start_pinned, wait_http
from report import RunRecord, cache_figures, parse_cache_stats, render, summarise

__all__ = ["main"]

SUPERGRAPH = BENCH / "supergraph.graphql"
QUERY = BENCH / "query.graphql"
SUBGRAPH_PORTS = {"accounts": 47301, "products": 47302, "inventory": 47303, "reviews": 47304}
STARTUP_TIMEOUT = 60.0
SETTLE_QUIET = 0.5  # seconds without a subgraph call: the gateway has finished its requests
SETTLE_TIMEOUT = 30.0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = [name.strip() for name in args.only.split(",")] if args.only else list(DEFAULT_GATEWAYS)
    unknown = [name for name in names if name not in GATEWAYS]
    if unknown:
        print(f"unknown gateway(s) {unknown}; known: {', '.join(GATEWAYS)}", file=sys.stderr)
        return 2
    missing = missing_requirements(names)
    if missing:
        print("missing (install, then run again):", file=sys.stderr)
        for item in missing:
            print(f"  - {item}", file=sys.stderr)
        return 2
    ports = [*SUBGRAPH_PORTS.values(), *(GATEWAYS[name].port for name in names)]
    busy = [port for port in ports if port_in_use(port)]
    if busy:
        print(f"ports in use: {busy}; stop what listens there first", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        print("note: one core only; gateway and load share it", file=sys.stderr)

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    body = work / "body.json"
    body.write_text(json.dumps({"query": QUERY.read_text(), "operationName": "TestQuery"}))
    reference = next((n for n in names if GATEWAYS[n].reference), names[0])

    print(f"load average at start: {_load_average()}", flush=True)
    planning = _planning(names, args.gateway_core)
    subgraphs = start_pinned(
        "subgraphs",
        [_python(), str(BENCH / "subgraphs" / "serve.py")],
        args.load_core,
        work,
    )
    records: list[RunRecord] = []
    try:
        for port in SUBGRAPH_PORTS.values():
            wait_http(f"http://127.0.0.1:{port}/health", STARTUP_TIMEOUT, subgraphs)
        expected = expected_data()
        for round_number in range(1, args.rounds + 1):
            for name in names:
                record = _measure(GATEWAYS[name], round_number, args, work, body, expected)
                records.append(record)
    except RuntimeError as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        subgraphs.stop()

    summary = summarise(records, reference, GATEWAYS)
    print()
    print(render(records, summary, planning))
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "govgraph_source": str(govgraph_source() or REPO),
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "connections": args.connections,
            "rounds": args.rounds,
            "unloaded_s": args.unloaded,
            "gateway_core": args.gateway_core,
            "load_core": args.load_core,
            "cpu_count": os.cpu_count(),
        },
        "runs": [record.to_dict() for record in records],
        "summary": summary,
        "planning_ms": planning,
        "load_average_at_end": _load_average(),
    }
    json_path = args.json or Path(
        f"/tmp/govgraph-bench-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    )
    json_path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nJSON report: {json_path}")
    return 0


def _measure(
    spec: GatewaySpec,
    round_number: int,
    args: argparse.Namespace,
    work: Path,
    body: Path,
    expected: dict[str, Any],
) -> RunRecord:
    url = f"http://127.0.0.1:{spec.port}/graphql"
    print(f"round {round_number}: {spec.name} starting on core {args.gateway_core}", flush=True)
    gateway = start_pinned(
        f"{spec.name}-{round_number}",
        spec.command(SUPERGRAPH, spec.port),
        args.gateway_core,
        work,
        spec.env(),
        spec.drop_env_prefix,
    )
    try:
        wait_http(f"http://127.0.0.1:{spec.port}/health", STARTUP_TIMEOUT, gateway)
        _check_answer(spec.name, url, body, expected, gateway)
        if args.warmup > 0:
            run_wrk(url, body, args.connections, args.warmup, args.load_core)
        # wrk leaves requests unanswered when it stops, and the gateway still finishes
        # them: settled before, their calls are not counted as the window's; settled
        # after, the window's own cut-off requests are counted whole (as wrk's "sent").
        calls_before = _settled_subgraph_calls()
        cpu_before, started = cpu_seconds(gateway.pid), time.monotonic()
        loaded = run_wrk(url, body, args.connections, args.duration, args.load_core)
        cpu = cpu_seconds(gateway.pid) - cpu_before
        wall = time.monotonic() - started
        subgraph_calls = _settled_subgraph_calls() - calls_before
        unloaded = run_wrk(url, body, 1, args.unloaded, args.load_core) if args.unloaded else None
        _check_answer(spec.name, url, body, expected, gateway)
    finally:
        gateway.stop()
    # Written at shutdown, so only now; absent for a gateway with no cache on.
    cache_stats = parse_cache_stats(gateway.log.read_text(encoding="utf-8", errors="replace"))
    record = RunRecord(
        spec.name,
        round_number,
        loaded,
        unloaded,
        100.0 * cpu / wall,
        _load_average(),
        subgraph_calls,
        cache_stats,
    )
    per_request = record.calls_per_request
    line = (
        f"  {spec.name}: {loaded.rps:.1f} RPS, p95 {loaded.p95_ms:.1f} ms, "
        f"CPU {record.cpu_percent:.0f}%, errors {loaded.errors}, "
        f"subgraph calls/request {'-' if per_request is None else f'{per_request:.2f}'}"
    )
    if cache_stats is not None:
        entities = cache_figures(cache_stats)["entities_hit_rate"]
        line += f", entity hit rate {'-' if entities is None else f'{100.0 * entities:.2f}%'}"
    elif "--log-level" in spec.command(SUPERGRAPH, spec.port):
        line += f", no cache stats in {gateway.log}"
    print(line, flush=True)
    return record


def _settled_subgraph_calls() -> int:
    """The subgraphs' call count once it has stopped moving (or after SETTLE_TIMEOUT)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    last = _subgraph_calls()
    while time.monotonic() < deadline:
        time.sleep(SETTLE_QUIET)
        now = _subgraph_calls()
        if now == last:
            break
        last = now
    return last


def _subgraph_calls() -> int:
    """GraphQL requests the four subgraphs have answered so far, all together."""
    total = 0
    for name, port in SUBGRAPH_PORTS.items():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/calls", timeout=5) as response:
                total += int(json.loads(response.read())["calls"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RuntimeError(
                f"subgraph {name} did not say how many calls it answered: {exc}"
            ) from exc
    return total


def _check_answer(
    name: str, url: str, body: Path, expected: dict[str, Any], gateway: Pinned
) -> None:
    """The gateway must return the full, correct ``data`` and no errors."""
    request = urllib.request.Request(
        url,
        data=body.read_bytes(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"{name} did not answer the query: {exc}\n{gateway.log_tail()}") from exc
    data = answer.get("data") if isinstance(answer, dict) else None
    if answer.get("errors") or not is_non_trivial(data) or data != expected:
        excerpt = json.dumps(answer)[:600]
        raise RuntimeError(f"{name} returned a wrong answer to the benchmark query: {excerpt}")


def _planning(names: list[str], core: int) -> dict[str, Any]:
    """Planning time per gateway, each measured in its own pinned process before any load."""
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    if "govgraph" in names:
        script = [_python(), str(BENCH / "plan_time.py")]
        commands["govgraph"] = (script, {"PYTHONPATH": str(govgraph_source() or REPO)})
    if "apollo" in names:
        apollo = GATEWAYS["apollo"]
        node = apollo.command(SUPERGRAPH, 0)[0]
        commands["apollo"] = ([node, str(BENCH / "apollo" / "plan-time.js")], apollo.env())
    results: dict[str, Any] = {}
    for name, (command, env) in commands.items():
        completed = subprocess.run(
            ["taskset", "-c", str(core), *command, str(SUPERGRAPH), str(QUERY), "50"],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=300,
            check=False,
        )
        try:
            results[name] = json.loads(completed.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            results[name] = {"error": error[:300]}
    return results


def _python() -> str:
    """The project's interpreter (strawberry, the gateway), whatever runs this script."""
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _load_average() -> tuple[float, float, float]:
    one, five, fifteen = os.getloadavg()
    return (round(one, 2), round(five, 2), round(fifteen, 2))


def _commit() -> str:
    source = govgraph_source()
    if source is not None:
        marker = source / "COMMIT"
        return marker.read_text().strip() if marker.is_file() else f"snapshot {source}"
    probe = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() or "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="govgraph vs Apollo Gateway benchmark.")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=15.0, help="warm-up seconds per run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="runs per gateway, alternating")
    parser.add_argument("--unloaded", type=float, default=10.0, help="1-connection seconds")
    parser.add_argument(
        "--only",
        help=f"comma-separated gateways of {', '.join(GATEWAYS)} "
        f"(default: {', '.join(DEFAULT_GATEWAYS)})",
    )
    parser.add_argument("--gateway-core", type=int, default=0)
    parser.add_argument("--load-core", type=int, default=1, help="wrk and the subgraphs")
    parser.add_argument("--work", type=Path, default=BENCH / ".work", help="logs go here")
    parser.add_argument(
        "--json", type=Path, help="report path (default /tmp/govgraph-bench-*.json)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
