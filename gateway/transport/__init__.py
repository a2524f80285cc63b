"""Subgraph transport: the fetch port (``fetcher``) and its HTTP implementation (``http``).

Nothing is imported here, so that code which only needs the port does not load aiohttp.
"""

from __future__ import annotations

__all__: list[str] = []
