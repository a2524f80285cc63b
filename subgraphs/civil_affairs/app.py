"""The civil_affairs subgraph's ASGI app over its SQL store."""

from __future__ import annotations

from starlette.types import ASGIApp

from subgraphs.civil_affairs.schema import schema
from subgraphs.civil_affairs.store import CivilAffairsStore
from subgraphs.common.app import make_subgraph_app
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.sql import create_engine

__all__ = ["NAME", "create_app"]

NAME = "civil_affairs"


def create_app(settings: SubgraphSettings | None = None) -> ASGIApp:
    """Serve the subgraph on ``settings.civil_affairs_db_url`` (SQLite or MariaDB/MySQL)."""
    settings = settings or SubgraphSettings.from_env()
    engine = create_engine(settings.civil_affairs_db_url)
    store = CivilAffairsStore(engine)
    return make_subgraph_app(
        schema,
        name=NAME,
        signing_secret=settings.subgraph_secret,
        store=store,
        health_check=store.ping,
        on_shutdown=[engine.dispose],
    )
