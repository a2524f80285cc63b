"""GraphQL-over-HTTP rules every transport shares: the headers we send, how answers decode."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from gateway.errors import SubgraphBadResponseError, SubgraphUnavailableError

__all__ = ["DEFAULT_HEADERS", "decode_graphql_response"]

DEFAULT_HEADERS: Mapping[str, str] = {
    "Content-Type": "application/json",
    "Accept": "application/graphql-response+json, application/json",
}


def decode_graphql_response(name: str, status: int, body: bytes) -> dict[str, Any]:
    """The JSON object of a GraphQL response (any status); raises a ``SubgraphError``.

    A non-2xx status whose body is a GraphQL response is still a GraphQL response
    (GraphQL-over-HTTP lets a server answer 4xx/5xx with errors). Without one, 502/503/504
    mean the subgraph is unavailable and anything else is a bad response.
    """
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        payload = None
    if isinstance(payload, dict) and ("data" in payload or "errors" in payload):
        return payload
    if status >= 400:
        error: type[SubgraphUnavailableError | SubgraphBadResponseError] = (
            SubgraphUnavailableError if status in (502, 503, 504) else SubgraphBadResponseError
        )
        raise error(name, f"subgraph '{name}' answered HTTP {status} without a GraphQL response")
    what = "a non-JSON body" if payload is None else "JSON that is not a GraphQL response"
    raise SubgraphBadResponseError(name, f"subgraph '{name}' answered {what}")
