"""``govgraph legacy``: run the stand-in for the real-estate registry's legacy JSON service."""

from __future__ import annotations

import logging
from pathlib import Path

import click

__all__ = ["legacy"]


@click.group()
def legacy() -> None:
    """The Natural Resources Bureau's legacy registry (JSON over HTTP), as a stand-in."""


@legacy.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=4010, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GOVGRAPH_DATA_DIR",
    default=Path("data"),
    show_default=True,
    help="Data directory; the registry reads <data-dir>/real_estate/registry.db.",
)
def serve(host: str, port: int, data_dir: Path) -> None:
    """Serve the registry until interrupted (seed it first with `govgraph data generate`)."""
    # Imported here so that `govgraph --help` does not pay for aiohttp.
    from aiohttp import web

    from subgraphs.real_estate.legacy_service import create_legacy_app, registry_path

    database = registry_path(data_dir)
    if not database.is_file():
        raise click.ClickException(
            f"no registry database at {database}; run `govgraph data generate` first"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"legacy registry on http://{host}:{port}/bdc/api/ over {database}")
    web.run_app(create_legacy_app(database), host=host, port=port, print=None)
