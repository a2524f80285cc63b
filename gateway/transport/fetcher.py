"""The subgraph fetch port: what the executor calls, and what wraps a transport."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["SubgraphFetcher", "SubgraphRequest", "SubgraphResponse"]


@dataclass(slots=True)
class SubgraphRequest:
    """One GraphQL-over-HTTP POST to a subgraph.

    ``body`` is the already-serialised JSON payload, so that a signing wrapper can sign
    exactly the bytes that are sent and a cache wrapper can key on them.
    ``context`` is opaque to the transport: the pipeline uses it to hand per-request
    facts (principal, purpose, trace) to the wrappers around the transport.
    """

    service_name: str
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    context: Any = None


@dataclass(slots=True)
class SubgraphResponse:
    """The decoded GraphQL response of a subgraph (``data``/``errors``/``extensions``)."""

    status: int
    payload: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)


class SubgraphFetcher(Protocol):
    """Sends one request; raises ``gateway.errors.SubgraphError`` subclasses on failure."""

    async def fetch(self, request: SubgraphRequest) -> SubgraphResponse: ...
