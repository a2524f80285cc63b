"""Subgraph transport: the fetch port (``fetcher``) and its HTTP implementations.

``pooled.PooledFetcher`` (own HTTP/1.1 connections, ``h1``) is the fast default;
``http.HttpFetcher`` (aiohttp) is the general-purpose fallback. Nothing is imported here,
so code that needs only the port loads neither.
"""

from __future__ import annotations

__all__: list[str] = []
