"""The plain data that flows between pipeline stages: request in, response out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.policy.principal import ANONYMOUS, Principal

__all__ = ["GraphQLRequest", "GraphQLResponse", "RequestContext"]


@dataclass(slots=True)
class GraphQLRequest:
    """One GraphQL operation request as decoded from HTTP (GraphQL over HTTP)."""

    query: str | None
    operation_name: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)
    http_method: str = "POST"


@dataclass(slots=True)
class RequestContext:
    """Per-request facts established at the HTTP edge; stages read, never decide, here."""

    principal: Principal = ANONYMOUS
    purpose: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    request_id: str | None = None
    # Filled by the pipeline once known, for wrappers around the subgraph transport
    # (caches key on them; they never hold the raw token):
    schema_hash: str = ""
    policy_version: str = ""
    auth_fingerprint: str = ""
    # What wrappers derive from the facts above once per request (a cache's key prefixes),
    # instead of once per subgraph fetch; keyed by the wrapper's own names. A copy of the
    # context with other facts must start it empty.
    derived: dict[Any, Any] = field(default_factory=dict)


@dataclass(slots=True)
class GraphQLResponse:
    """What the pipeline produced.

    ``executed`` is False when the request never reached execution (parse, validation
    or authorization failure): the response then has no ``data`` key at all, as the
    GraphQL spec requires, and ``status`` carries the HTTP status for clients that
    accept ``application/graphql-response+json``.
    """

    data: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    executed: bool = True
    status: int = 200
    extensions: dict[str, Any] = field(default_factory=dict)
    cache_control: str | None = None
    # True when the HTTP request itself was unusable (no query, bad variables, wrong
    # method): such failures get a 4xx whatever media type the client accepts.
    request_error: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.errors:
            out["errors"] = self.errors
        if self.executed:
            out["data"] = self.data
        if self.extensions:
            out["extensions"] = self.extensions
        return out
