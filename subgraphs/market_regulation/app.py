"""The market_regulation subgraph's ASGI app over its SQL store."""

from __future__ import annotations

from starlette.types import ASGIApp

from subgraphs.common.app import make_subgraph_app
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.sql import create_engine
from subgraphs.market_regulation.schema import schema
from subgraphs.market_regulation.store import MarketRegulationStore

__all__ = ["NAME", "create_app"]

NAME = "market_regulation"


def create_app(settings: SubgraphSettings | None = None) -> ASGIApp:
    """Serve the subgraph on ``settings.market_regulation_db_url`` (SQLite or PostgreSQL)."""
    settings = settings or SubgraphSettings.from_env()
    engine = create_engine(settings.market_regulation_db_url)
    store = MarketRegulationStore(engine)
    return make_subgraph_app(
        schema,
        name=NAME,
        signing_secret=settings.subgraph_secret,
        store=store,
        health_check=store.ping,
        on_shutdown=[engine.dispose],
    )
