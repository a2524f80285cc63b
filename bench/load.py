"""Generate load with wrk (pinned to the load core) and read its summary line."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["LoadResult", "run_wrk"]

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "post.lua"
_MARK = "BENCH_JSON "


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one wrk run measured; latencies in milliseconds."""

    connections: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int  # connect, read, write, timeout, and non-2xx/3xx answers
    sent: int | None = None  # requests sent: those answered and those cut off at the end

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_wrk(url: str, body: Path, connections: int, seconds: float, core: int) -> LoadResult:
    """POST ``body`` to ``url`` over ``connections`` for ``seconds``, wrk on ``core``."""
    command = [
        "taskset",
        "-c",
        str(core),
        "wrk",
        "-t1",  # one load core: more threads would only compete for it
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        # Generous: a slow answer is latency to measure, not a socket error to drop.
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA),
        url,
        "--",
        str(body),
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in completed.stdout.splitlines():
        if line.startswith(_MARK):
            raw = json.loads(line[len(_MARK) :])
            errors = sum(
                int(raw[key])
                for key in (
                    "errors_connect",
                    "errors_read",
                    "errors_write",
                    "errors_status",
                    "errors_timeout",
                )
            )
            return LoadResult(
                connections=connections,
                seconds=float(raw["seconds"]),
                requests=int(raw["requests"]),
                rps=float(raw["rps"]),
                p50_ms=float(raw["p50_ms"]),
                p95_ms=float(raw["p95_ms"]),
                p99_ms=float(raw["p99_ms"]),
                mean_ms=float(raw["mean_ms"]),
                max_ms=float(raw["max_ms"]),
                errors=errors,
                sent=int(raw["sent"]) if "sent" in raw else None,
            )
    raise RuntimeError(
        f"wrk gave no summary (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
    )
