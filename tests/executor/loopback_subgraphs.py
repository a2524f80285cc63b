"""Real subgraphs on loopback for executor tests: tiny aiohttp apps answering from a function.

``serve(responder)`` starts one app on an ephemeral port; the responder gets the decoded
GraphQL request and returns the GraphQL response (or raises ``web.HTTPException``).
Every request body is recorded in ``Subgraph.received`` so tests can assert on what the
subgraph was sent. ``entities_from(store)`` answers ``_entities`` from a dict store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

Responder = Callable[[dict[str, Any]], Awaitable[dict[str, Any]] | dict[str, Any]]


class Subgraph:
    def __init__(self, responder: Responder, delay: float) -> None:
        self.responder = responder
        self.delay = delay
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.active = 0
        self.max_active = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = orjson.loads(await request.read())
        self.received.append(body)
        self.headers.append(dict(request.headers))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            result = self.responder(body)
            if not isinstance(result, dict):
                result = await result
        finally:
            self.active -= 1
        return web.Response(body=orjson.dumps(result), content_type="application/json")


def entities_from(store: dict[str, dict[str, dict[str, Any]]], key: str = "id") -> Responder:
    """Answer ``_entities`` from ``store[typename][key value]`` (null when unknown)."""

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        found = []
        for rep in body["variables"]["representations"]:
            entity = store.get(rep["__typename"], {}).get(str(rep.get(key)))
            found.append(None if entity is None else {"__typename": rep["__typename"], **entity})
        return {"data": {"_entities": found}}

    return respond
