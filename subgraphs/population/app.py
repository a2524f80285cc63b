"""The population subgraph's ASGI app over its SQL store."""

from __future__ import annotations

from starlette.types import ASGIApp

from subgraphs.common.app import make_subgraph_app
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.sql import create_engine
from subgraphs.population.schema import schema
from subgraphs.population.store import PopulationStore

__all__ = ["NAME", "create_app"]

NAME = "population"


def create_app(settings: SubgraphSettings | None = None) -> ASGIApp:
    """Serve the subgraph on ``settings.population_db_url`` (SQLite or PostgreSQL)."""
    settings = settings or SubgraphSettings.from_env()
    engine = create_engine(settings.population_db_url)
    store = PopulationStore(engine)
    return make_subgraph_app(
        schema,
        name=NAME,
        signing_secret=settings.subgraph_secret,
        store=store,
        health_check=store.ping,
        on_shutdown=[engine.dispose],
    )
