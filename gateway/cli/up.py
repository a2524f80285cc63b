"""``govgraph up``: the whole stack on embedded defaults, in the foreground.

Starts the real-estate legacy service stand-in, the five department subgraphs and the
gateway as child processes (SQLite data generated on first run, in-memory cache, the
built-in development token issuer), prints how to query it, and stops everything on
Ctrl-C.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import click

__all__ = ["up"]

DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
SUBGRAPH_PORTS = dict(zip(DEPARTMENTS, range(4001, 4006), strict=True))
LEGACY_PORT = 4010


@dataclass
class _Child:
    name: str
    process: subprocess.Popen[bytes]
    health: str


def _wait_healthy(child: _Child, deadline: float) -> None:
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise click.ClickException(
                f"{child.name} exited with status {child.process.returncode}; see its output above"
            )
        try:
            with urllib.request.urlopen(child.health, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise click.ClickException(f"{child.name} did not become healthy at {child.health}")


def _stop(children: list[_Child]) -> None:
    for child in reversed(children):
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


@click.command()
@click.option("--port", default=4000, show_default=True, help="Gateway port.")
@click.option(
    "--data-dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the department stores, keys and the access log live.",
)
@click.option("--persons", default=2000, show_default=True, help="Dataset size on first run.")
@click.option("--regenerate", is_flag=True, help="Generate the dataset again even if present.")
def up(port: int, data_dir: Path, persons: int, regenerate: bool) -> None:
    """Start the legacy service, the five subgraphs and the gateway; Ctrl-C stops all."""
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / ".generated"
    exe = [sys.executable, "-m", "gateway"]
    if regenerate or not marker.exists():
        click.echo(f"Generating the synthetic Tieling dataset ({persons} persons) in {data_dir} …")
        subprocess.run(
            [*exe, "data", "generate", "--persons", str(persons), "--data-dir", str(data_dir)],
            check=True,
        )
        marker.write_text(str(persons))

    env = dict(os.environ)
    env.setdefault("GOVGRAPH_DATA_DIR", str(data_dir))
    # A fresh key per run: subgraphs accept only calls the gateway signed with it.
    env.setdefault("GOVGRAPH_SUBGRAPH_SECRET", secrets.token_hex(32))
    env.setdefault("GOVGRAPH_AUTH_MODE", "dev")
    env.setdefault("GOVGRAPH_POLICIES_DIR", str(Path("policies").resolve()))
    env.setdefault("GOVGRAPH_ACCESS_LOG", str(data_dir / "access-log.jsonl"))
    env.setdefault("GOVGRAPH_REAL_ESTATE_LEGACY_URL", f"http://127.0.0.1:{LEGACY_PORT}")
    # The in-memory cache, all three levels (GOVGRAPH_CACHE_URL=redis://… to share one).
    for name, value in (("URL", "memory://"), ("ENTITIES", "1"), ("RESPONSES", "1"), ("DEDUP", "1")):
        env.setdefault(f"GOVGRAPH_CACHE_{name}", value)

    children: list[_Child] = []

    def on_terminate(signum: int, frame: object) -> None:
        # A supervisor's SIGTERM must stop the children too, as Ctrl-C does.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_terminate)

    def start(name: str, args: list[str], health: str) -> _Child:
        child = _Child(name, subprocess.Popen([*exe, *args], env=env), health)
        children.append(child)
        return child

    try:
        deadline = time.monotonic() + 60
        legacy = start(
            "real-estate legacy service",
            ["legacy", "serve", "--port", str(LEGACY_PORT), "--data-dir", str(data_dir)],
            f"http://127.0.0.1:{LEGACY_PORT}/health",
        )
        subgraphs = [
            start(
                f"subgraph {name}",
                ["subgraph", "serve", name, "--port", str(sg_port)],
                f"http://127.0.0.1:{sg_port}/health",
            )
            for name, sg_port in SUBGRAPH_PORTS.items()
        ]
        for child in [legacy, *subgraphs]:
            _wait_healthy(child, deadline)
        gateway = start(
            "gateway",
            ["serve", "--supergraph", "schema.graphql", "--port", str(port)],
            f"http://127.0.0.1:{port}/health",
        )
        _wait_healthy(gateway, deadline)
        click.echo(_banner(port))
        while all(c.process.poll() is None for c in children):
            time.sleep(0.5)
        dead = [c.name for c in children if c.process.poll() is not None]
        click.echo(f"stopping: {', '.join(dead)} exited", err=True)
    except KeyboardInterrupt:
        click.echo("\nstopping …")
    finally:
        _stop(children)


def _banner(port: int) -> str:
    url = f"http://127.0.0.1:{port}/graphql"
    return f"""
govgraph is up.
  Gateway:   {url}   (open it in a browser for the query explorer)
  Subgraphs: {", ".join(f"{n} :{p}" for n, p in SUBGRAPH_PORTS.items())}

Mint a token for a Yinzhou District civil-affairs officer and ask a question:

  TOKEN=$(.venv/bin/govgraph token user --sub officer-0001 \\
      --scope "civil_affairs:officer" --department civil_affairs --county 211202)
  curl -s {url} -H "Authorization: Bearer $TOKEN" -H "X-Purpose: dibao-review 2026-0001" \\
    -H 'Content-Type: application/json' \\
    -d '{{"query":"{{ persons(county: \\"211202\\", first: 3) {{ nodes {{ name idNumber }} }} }}"}}'

Press Ctrl-C to stop everything.
"""
