"""``govgraph serve``: run the gateway alone against a supergraph file."""

from __future__ import annotations

import logging
from pathlib import Path

import click

__all__ = ["serve"]


@click.command()
@click.option(
    "--supergraph",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="schema.graphql",
    show_default=True,
    help="Supergraph SDL (Federation 2, as `govgraph compose` writes it).",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=4000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Processes to run.")
@click.option(
    "--auth",
    type=click.Choice(["off", "dev", "jwks"]),
    default=None,
    help="Token checking: off (no tokens, for conformance and benchmarks), dev (built-in "
    "issuer) or jwks (external issuer). Default from GOVGRAPH_AUTH_MODE, else off.",
)
@click.option(
    "--policies",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of department policy files to enforce.",
)
@click.option("--log-level", default="warning", show_default=True)
def serve(
    supergraph: Path,
    host: str,
    port: int,
    workers: int,
    auth: str | None,
    policies: Path | None,
    log_level: str,
) -> None:
    """Run the gateway in the foreground until interrupted.

    Every setting can also come from GOVGRAPH_* environment variables (see
    gateway/config.py); flags win over the environment.
    """
    import os

    import uvicorn

    os.environ["GOVGRAPH_SUPERGRAPH"] = str(supergraph)
    if auth is not None:
        os.environ["GOVGRAPH_AUTH_MODE"] = auth
    if policies is not None:
        os.environ["GOVGRAPH_POLICIES_DIR"] = str(policies)
    logging.basicConfig(level=log_level.upper())
    uvicorn.run(
        "gateway.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
