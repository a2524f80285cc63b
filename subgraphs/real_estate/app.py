"""The real_estate subgraph's ASGI app: the schema over one shared registry client."""

from __future__ import annotations

import httpx
from starlette.types import ASGIApp

from subgraphs.common.app import make_subgraph_app
from subgraphs.common.settings import SubgraphSettings

from .registry_client import DEFAULT_TIMEOUT, RegistryClient
from .schema import schema

__all__ = ["NAME", "create_app"]

NAME = "real_estate"


def create_app(
    settings: SubgraphSettings | None = None,
    *,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    client: RegistryClient | None = None,
) -> ASGIApp:
    """Serve the subgraph against the registry at ``settings.real_estate_legacy_url``.

    ``client`` replaces the registry client built from the settings (tests count its
    calls). ``/health`` reports 503 while the registry is unreachable.
    """
    settings = settings or SubgraphSettings.from_env()
    settings.warn_if_unsigned(NAME)
    if client is None:
        client = RegistryClient(settings.real_estate_legacy_url, timeout=timeout)
    return make_subgraph_app(
        schema,
        name=NAME,
        signing_secret=settings.subgraph_secret,
        store=client,
        health_check=client.health,
        on_shutdown=[client.aclose],
    )
