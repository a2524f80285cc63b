"""ASGI entry point for servers: ``uvicorn gateway.asgi:app`` (settings from GOVGRAPH_*)."""

from __future__ import annotations

from gateway.app import create_app

__all__ = ["app"]

app = create_app()
