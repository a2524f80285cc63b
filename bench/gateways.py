"""The gateway configurations the benchmark can run, by name: how to launch each one.

To compare another configuration (a cache on, more workers, another gateway), add a
``GatewaySpec`` to ``GATEWAYS``; ``run.py --only NAME`` picks it by name.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BENCH",
    "DEFAULT_GATEWAYS",
    "GATEWAYS",
    "REPO",
    "GatewaySpec",
    "govgraph_source",
    "missing_requirements",
]

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


@dataclass(frozen=True, slots=True)
class GatewaySpec:
    """A named gateway launch: the command for a supergraph file and a port."""

    name: str
    port: int
    command: Callable[[Path, int], list[str]]
    env: Callable[[], dict[str, str]] = field(default=lambda: {})
    requirements: Callable[[], list[str]] = field(default=lambda: [])
    reference: bool = False  # the gateway the others are compared with
    # Targets against the reference: at least this many times its RPS, at most this share
    # of its p95. None: no target, the ratio is printed alone.
    target_rps_ratio: float | None = None
    target_p95_ratio: float | None = None
    # Inherited variables with this prefix are dropped, so that a stray setting (say, a
    # response cache URL) cannot change the configuration being measured.
    drop_env_prefix: str | None = None


def _apollo_modules() -> Path:
    return Path(os.environ.get("APOLLO_NODE_MODULES", BENCH / "apollo" / "node_modules"))


def _node() -> str:
    return os.environ.get("BENCH_NODE", "node")


def _apollo_command(supergraph: Path, port: int) -> list[str]:
    index = str(BENCH / "apollo" / "index.js")
    return [_node(), index, "--supergraph", str(supergraph), "--port", str(port)]


def _apollo_env() -> dict[str, str]:
    # NODE_ENV=production: what a deployment runs (no landing page, no stack traces).
    return {"NODE_PATH": str(_apollo_modules()), "NODE_ENV": "production"}


def _apollo_requirements() -> list[str]:
    missing = []
    if shutil.which(_node()) is None:
        missing.append("node (20+): install Node.js, or set BENCH_NODE")
    if not (_apollo_modules() / "@apollo" / "gateway").is_dir():
        missing.append(
            f"Apollo Gateway: `npm ci --prefix {BENCH / 'apollo'}` "
            "(or set APOLLO_NODE_MODULES to a node_modules that has it)"
        )
    return missing


def _govgraph_bin() -> Path:
    return Path(os.environ.get("GOVGRAPH_BIN", REPO / ".venv" / "bin" / "govgraph"))


def govgraph_source() -> Path | None:
    """A snapshot folder to run govgraph's package from (GOVGRAPH_SOURCE), if any."""
    source = os.environ.get("GOVGRAPH_SOURCE")
    return Path(source).resolve() if source else None


def _govgraph_command(supergraph: Path, port: int) -> list[str]:
    # From a snapshot, the package is imported from there (see _govgraph_env).
    launcher = (
        [str(REPO / ".venv" / "bin" / "python"), "-m", "gateway"]
        if govgraph_source()
        else [str(_govgraph_bin())]
    )
    return [
        *launcher,
        "serve",
        "--supergraph",
        str(supergraph),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--auth",
        "off",
    ]


def _govgraph_cached_command(supergraph: Path, port: int) -> list[str]:
    # At info level the gateway logs its cache counters once at shutdown; run.py reads them.
    return [*_govgraph_command(supergraph, port), "--log-level", "info"]


def _govgraph_env() -> dict[str, str]:
    source = govgraph_source()
    return {"PYTHONPATH": str(source)} if source else {}


def _govgraph_cached_env(**settings: str) -> Callable[[], dict[str, str]]:
    # Entries outlive the run, so a warm cache stays warm while it is measured.
    return lambda: {**_govgraph_env(), "GOVGRAPH_CACHE_DEFAULT_TTL": "600", **settings}


def _govgraph_requirements() -> list[str]:
    source = govgraph_source()
    if source is not None:
        if not (source / "gateway" / "__main__.py").is_file():
            return [f"GOVGRAPH_SOURCE={source} holds no gateway package"]
        return []
    if not _govgraph_bin().exists():
        return [f"govgraph: `pip install -e .` into {REPO / '.venv'} (or set GOVGRAPH_BIN)"]
    return []


GATEWAYS: dict[str, GatewaySpec] = {
    spec.name: spec
    for spec in (
        GatewaySpec(
            "apollo", 47310, _apollo_command, _apollo_env, _apollo_requirements, reference=True
        ),
        GatewaySpec(
            "govgraph",
            47311,
            _govgraph_command,
            _govgraph_env,
            _govgraph_requirements,
            drop_env_prefix="GOVGRAPH_",
            target_rps_ratio=2.5,
            target_p95_ratio=0.5,
        ),
        # Opt-in (--only): the caches of issue 5, warmed by the warm-up like any run.
        GatewaySpec(
            "govgraph+entities",
            47312,
            _govgraph_cached_command,
            _govgraph_cached_env(GOVGRAPH_CACHE_ENTITIES="1"),
            _govgraph_requirements,
            drop_env_prefix="GOVGRAPH_",
            # Issue "caching", item 8: with the entity cache warm. No latency target there.
            target_rps_ratio=10.0,
        ),
        # No target: the requirement sets none for the response cache; ratios only.
        GatewaySpec(
            "govgraph+responses",
            47313,
            _govgraph_cached_command,
            _govgraph_cached_env(GOVGRAPH_CACHE_ENTITIES="1", GOVGRAPH_CACHE_RESPONSES="1"),
            _govgraph_requirements,
            drop_env_prefix="GOVGRAPH_",
        ),
    )
}
DEFAULT_GATEWAYS = ("apollo", "govgraph")


def missing_requirements(names: list[str]) -> list[str]:
    """What must be installed before these gateways and the load tool can run."""
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk (the load generator): `apt-get install wrk`")
    if shutil.which("taskset") is None:
        missing.append("taskset (CPU pinning): `apt-get install util-linux`")
    for name in names:
        missing += GATEWAYS[name].requirements()
    return missing
