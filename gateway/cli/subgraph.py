"""``govgraph subgraph``: run one department subgraph, or print its Federation SDL."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import click

__all__ = ["DEFAULT_PORTS", "subgraph"]

# Ports of docs/government-graph.md, also what ``govgraph up`` uses.
DEFAULT_PORTS = {
    "population": 4001,
    "civil_affairs": 4002,
    "market_regulation": 4003,
    "social_security": 4004,
    "real_estate": 4005,
}
_NAME = click.Choice(sorted(DEFAULT_PORTS))


def _department_module(name: str, module: str) -> Any:
    full = f"subgraphs.{name}.{module}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name in (full, f"subgraphs.{name}"):
            raise click.ClickException(
                f"the {name} subgraph is not available in this build ({full} is missing)"
            ) from None
        raise


@click.group()
def subgraph() -> None:
    """Run or inspect one department subgraph (population, civil_affairs, ...)."""


@subgraph.command()
@click.argument("name", type=_NAME)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on [default: the department's port, 4001-4005].")  # fmt: skip
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))  # fmt: skip
def serve(name: str, host: str, port: int | None, log_level: str) -> None:
    """Serve department NAME's GraphQL subgraph at /graphql (health at /health).

    The store comes from the environment (GOVGRAPH_DATA_DIR, GOVGRAPH_*_DB_URL, ...);
    requests must be signed by the gateway when GOVGRAPH_SUBGRAPH_SECRET is set.
    """
    import uvicorn

    # The department's own loggers (access by caller, refusals, masked bugs) go to stderr
    # next to uvicorn's; uvicorn only configures its own.
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    from gateway.config import GatewayConfig
    from gateway.telemetry.setup import configure_telemetry

    # GOVGRAPH_OTEL_EXPORTER/_ENDPOINT apply to the departments as to the gateway.
    configure_telemetry(GatewayConfig(), service_name=f"govgraph-{name}")
    app = _department_module(name, "app").create_app()
    uvicorn.run(app, host=host, port=DEFAULT_PORTS[name] if port is None else port,
                log_level=log_level)  # fmt: skip


@subgraph.command()
@click.argument("name", type=_NAME)
def sdl(name: str) -> None:
    """Print department NAME's Federation 2 SDL, as answered to ``{ _service { sdl } }``."""
    schema = _department_module(name, "schema").schema
    result = schema.execute_sync("{ _service { sdl } }")
    if result.errors:
        raise click.ClickException(f"{name} could not print its SDL: {result.errors[0].message}")
    click.echo(result.data["_service"]["sdl"])
