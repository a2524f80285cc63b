"""Start processes pinned to a core, wait until they answer, read their CPU time, stop them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Pinned", "cpu_seconds", "port_in_use", "start_pinned", "wait_http"]

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(slots=True)
class Pinned:
    """A process started by the benchmark; ``log`` keeps its output for a failure message."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """End this process and whatever it started (its own session), nothing else."""
        if self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=10)
                return
            except subprocess.TimeoutExpired:
                continue


def start_pinned(
    name: str,
    command: list[str],
    core: int,
    log_dir: Path,
    env: dict[str, str] | None = None,
    drop_env_prefix: str | None = None,
) -> Pinned:
    """Run ``command`` on ``core`` only (children inherit the pinning), output to a log.

    ``drop_env_prefix`` removes inherited variables (e.g. ``GOVGRAPH_``) so that only
    what ``env`` sets configures the process.
    """
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not (drop_env_prefix and key.startswith(drop_env_prefix))
    }
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["taskset", "-c", str(core), *command],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**inherited, **(env or {})},
            start_new_session=True,
        )
    return Pinned(name, process, log)


def wait_http(url: str, timeout: float, process: Pinned | None = None) -> None:
    """Poll ``url`` until it answers 200; fail early if ``process`` has exited."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.process.poll() is not None:
            raise RuntimeError(
                f"{process.name} exited with {process.process.returncode} before it was ready:\n"
                f"{process.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s ({last})")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and all its descendants, in seconds."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after the last ')'.
        fields = raw[raw.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    tree = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                grew = True
    return sum(ticks.get(member, 0) for member in tree) / _CLOCK_TICKS


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0
