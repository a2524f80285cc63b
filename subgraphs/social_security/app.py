"""The social_security subgraph's ASGI app: the schema over the export folder's index."""

from __future__ import annotations

from starlette.types import ASGIApp

from subgraphs.common.app import make_subgraph_app
from subgraphs.common.settings import SubgraphSettings

from .schema import schema
from .store import ExportStore

__all__ = ["NAME", "create_app"]

NAME = "social_security"


def create_app(
    settings: SubgraphSettings | None = None, *, store: ExportStore | None = None
) -> ASGIApp:
    """Serve the exports in ``settings.social_security_dir``.

    ``store`` replaces the store built from the settings (tests count its reads).
    ``/health`` reports 503 until one reading of the exports has succeeded.
    """
    settings = settings or SubgraphSettings.from_env()
    settings.warn_if_unsigned(NAME)
    if store is None:
        store = ExportStore(settings.social_security_dir)
    return make_subgraph_app(
        schema,
        name=NAME,
        signing_secret=settings.subgraph_secret,
        store=store,
        health_check=store.check,
    )
