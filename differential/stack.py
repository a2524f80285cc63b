"""Start the department graph twice-served: legacy service, five subgraphs, govgraph, Apollo.

Everything binds to 127.0.0.1, runs in its own session (so stopping it stops whatever it
started) and logs to ``<work>/logs/<name>.log``. Nothing here is shared with the
gateway's code: the tester must not inherit the gateway's bugs.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEPARTMENTS",
    "REPO",
    "Child",
    "Stack",
    "StackConfig",
    "port_free",
]

REPO = Path(__file__).resolve().parent.parent
DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
STANDARD_PORTS = dict(zip(DEPARTMENTS, range(4001, 4006), strict=True))
# Private block used when 4001-4005 are taken (or with --private-ports).
PRIVATE_BASE = 29501


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass(slots=True)
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM then SIGKILL to this child's own process group only."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 5), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


@dataclass(slots=True)
class StackConfig:
    work: Path  # scratch folder: logs, supergraph copy, data (unless data_dir)
    data_dir: Path | None = None  # reuse this dataset (generated there if empty)
    persons: int = 1000
    seed: int = 20261126
    source: Path | None = None  # run govgraph + subgraphs from this snapshot
    apollo_modules: Path | None = None
    node: str = "node"
    private_ports: bool = False
    gateway_port: int = 29520
    apollo_port: int = 29521
    legacy_port: int = 29510
    startup_timeout: float = 90.0
    caches: bool = False  # govgraph with the in-memory caches on, as `govgraph up` runs it


@dataclass(slots=True)
class Stack:
    config: StackConfig
    children: list[Child] = field(default_factory=list)
    subgraph_ports: dict[str, int] = field(default_factory=dict)
    supergraph: Path | None = None
    data_dir: Path | None = None

    # ------------------------------------------------------------------ helpers
    @property
    def govgraph_url(self) -> str:
        return f"http://127.0.0.1:{self.config.gateway_port}/graphql"

    @property
    def apollo_url(self) -> str:
        return f"http://127.0.0.1:{self.config.apollo_port}/graphql"

    def subgraph_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.subgraph_ports[name]}/graphql"

    def _python(self) -> list[str]:
        return [str(REPO / ".venv" / "bin" / "python"), "-m", "gateway"]

    def _env(self) -> dict[str, str]:
        # A clean slate: no GOVGRAPH_* from the caller's shell (no secret, no policies,
        # no cache, no token checking) except what this stack sets.
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
        env["GOVGRAPH_DATA_DIR"] = str(self.data_dir)
        env["GOVGRAPH_REAL_ESTATE_LEGACY_URL"] = f"http://127.0.0.1:{self.config.legacy_port}"
        env["GOVGRAPH_AUTH_MODE"] = "off"
        env["GOVGRAPH_ACCESS_LOG"] = str(self.config.work / "access-log.jsonl")
        if self.config.source is not None:
            env["PYTHONPATH"] = str(self.config.source)
        return env

    def _cwd(self) -> Path:
        return self.config.source or REPO

    def _start(self, name: str, command: list[str], env: dict[str, str]) -> Child:
        logs = self.config.work / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self._cwd(),
                start_new_session=True,
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def _wait(self, child: Child, url: str, deadline: float) -> None:
        last = "no answer"
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise RuntimeError(
                    f"{child.name} exited with {child.process.returncode} before it was ready:\n"
                    f"{child.tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except (OSError, urllib.error.URLError) as exc:
                last = str(exc)
            time.sleep(0.25)
        raise RuntimeError(f"{child.name} not ready at {url} ({last}):\n{child.tail()}")

    # ------------------------------------------------------------------ phases
    def choose_ports(self) -> None:
        used = {self.config.gateway_port, self.config.apollo_port, self.config.legacy_port}
        if not self.config.private_ports and all(port_free(p) for p in STANDARD_PORTS.values()):
            self.subgraph_ports = dict(STANDARD_PORTS)
        else:
            self.subgraph_ports = {name: PRIVATE_BASE + i for i, name in enumerate(DEPARTMENTS)}
        busy = [p for p in [*used, *self.subgraph_ports.values()] if not port_free(p)]
        if busy:
            raise RuntimeError(f"ports already in use on 127.0.0.1: {sorted(busy)}")

    def prepare_data(self) -> None:
        data = self.config.data_dir or (self.config.work / "data")
        data.mkdir(parents=True, exist_ok=True)
        marker = data / ".differential-generated"
        wanted = f"{self.config.persons} {self.config.seed}"
        if not (marker.exists() and marker.read_text().strip() == wanted):
            subprocess.run(
                [
                    *self._python(),
                    "data",
                    "generate",
                    "--persons",
                    str(self.config.persons),
                    "--seed",
                    str(self.config.seed),
                    "--data-dir",
                    str(data),
                ],
                check=True,
                cwd=self._cwd(),
                env={**self._env_base(), "GOVGRAPH_DATA_DIR": str(data)},
                stdout=subprocess.DEVNULL,
                timeout=300,
            )
            marker.write_text(wanted)
        self.data_dir = data

    def _env_base(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")}
        if self.config.source is not None:
            env["PYTHONPATH"] = str(self.config.source)
        return env

    def write_supergraph(self) -> None:
        committed = (self._cwd() / "schema.graphql").read_text(encoding="utf-8")
        text = committed
        for name, port in self.subgraph_ports.items():
            text, n = re.subn(
                rf'(@join__graph\(name: "{name}", url: ")[^"]*(")',
                rf"\g<1>http://127.0.0.1:{port}/graphql\g<2>",
                text,
            )
            if n != 1:
                raise RuntimeError(f"supergraph has no single join__graph for {name}")
        self.supergraph = self.config.work / "supergraph.graphql"
        self.supergraph.write_text(text, encoding="utf-8")

    def apollo_modules(self) -> Path:
        candidates = [
            self.config.apollo_modules,
            Path(os.environ["APOLLO_NODE_MODULES"])
            if os.environ.get("APOLLO_NODE_MODULES")
            else None,
            REPO / "bench" / "apollo" / "node_modules",
        ]
        for c in candidates:
            if c is not None and (c / "@apollo" / "gateway").is_dir():
                return c
        raise RuntimeError(
            "Apollo Gateway not installed: `npm ci --prefix bench/apollo`, or pass "
            "--apollo-modules / set APOLLO_NODE_MODULES to a node_modules that has it"
        )

    def start(self) -> None:
        self.config.work.mkdir(parents=True, exist_ok=True)
        modules = self.apollo_modules()
        self.choose_ports()
        self.prepare_data()
        self.write_supergraph()
        env = self._env()
        deadline = time.monotonic() + self.config.startup_timeout
        lp = self.config.legacy_port
        legacy = self._start(
            "legacy",
            [
                *self._python(),
                "legacy",
                "serve",
                "--port",
                str(lp),
                "--data-dir",
                str(self.data_dir),
            ],
            env,
        )
        subs = [
            (
                self._start(
                    name,
                    [
                        *self._python(),
                        "subgraph",
                        "serve",
                        name,
                        "--port",
                        str(port),
                        "--log-level",
                        "warning",
                    ],
                    env,
                ),
                f"http://127.0.0.1:{port}/health",
            )
            for name, port in self.subgraph_ports.items()
        ]
        self._wait(legacy, f"http://127.0.0.1:{lp}/health", deadline)
        for child, url in subs:
            self._wait(child, url, deadline)
        assert self.supergraph is not None
        gov_env = dict(env)
        if self.config.caches:
            for name, value in (
                ("URL", "memory://"),
                ("ENTITIES", "1"),
                ("RESPONSES", "1"),
                ("DEDUP", "1"),
            ):
                gov_env[f"GOVGRAPH_CACHE_{name}"] = value
        gov = self._start(
            "govgraph",
            [
                *self._python(),
                "serve",
                "--supergraph",
                str(self.supergraph),
                "--port",
                str(self.config.gateway_port),
                "--host",
                "127.0.0.1",
                "--auth",
                "off",
            ],
            gov_env,
        )
        apollo = self._start(
            "apollo",
            [
                self.config.node,
                str(REPO / "bench" / "apollo" / "index.js"),
                "--supergraph",
                str(self.supergraph),
                "--port",
                str(self.config.apollo_port),
            ],
            {
                **{k: v for k, v in os.environ.items() if not k.startswith("GOVGRAPH_")},
                "NODE_PATH": str(modules),
                "NODE_ENV": "development",  # production would refuse introspection
            },
        )
        self._wait(gov, f"http://127.0.0.1:{self.config.gateway_port}/health", deadline)
        self._wait(apollo, f"http://127.0.0.1:{self.config.apollo_port}/health", deadline)

    def alive(self) -> list[str]:
        """Names of children that have exited (should be empty while running)."""
        return [c.name for c in self.children if c.process.poll() is not None]

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()
        self.children.clear()
