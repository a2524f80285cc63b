"""GraphQL over HTTP: decode requests, negotiate the response media type, encode responses.

Clients that accept ``application/graphql-response+json`` get the spec's status codes
(4xx when the request never executed); older clients asking for ``application/json`` get
200 for any well-formed GraphQL request, as that media type's rules say.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from gateway.errors import BadRequestError, UnsupportedMediaError
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "decode_request",
    "encode_response",
    "negotiate",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


def negotiate(accept: str | None) -> str | None:
    """Pick the response media type; None means nothing acceptable (406)."""
    if not accept:
        return APPLICATION_JSON
    best: tuple[float, int, str] | None = None
    for index, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in (GRAPHQL_RESPONSE_JSON, "application/*", "*/*"):
            chosen = GRAPHQL_RESPONSE_JSON if media == GRAPHQL_RESPONSE_JSON else APPLICATION_JSON
        elif media == APPLICATION_JSON:
            chosen = APPLICATION_JSON
        else:
            continue
        if quality <= 0:
            continue
        rank = (quality, -index, chosen)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


def _one(raw: Any, method: str) -> GraphQLRequest:
    if not isinstance(raw, dict):
        raise BadRequestError("a GraphQL request must be a JSON object")
    query = raw.get("query")
    if query is not None and not isinstance(query, str):
        raise BadRequestError("query must be a string")
    operation_name = raw.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequestError("operationName must be a string")
    variables = raw.get("variables")
    if isinstance(variables, str) and method == "GET":
        variables = _json(variables, "variables")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequestError("variables must be a JSON object")
    extensions = raw.get("extensions")
    if isinstance(extensions, str) and method == "GET":
        extensions = _json(extensions, "extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise BadRequestError("extensions must be a JSON object")
    return GraphQLRequest(query, operation_name, variables or {}, extensions or {}, method)


def _json(text: str | bytes, what: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadRequestError(f"{what} is not valid JSON: {exc.msg}") from None


async def decode_request(request: Request, max_batch: int) -> tuple[list[GraphQLRequest], bool]:
    """Return the operations in the request and whether it was a batch (JSON array)."""
    if request.method == "GET":
        return [_one(dict(request.query_params), "GET")], False
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", GRAPHQL_RESPONSE_JSON, ""):
        raise UnsupportedMediaError(f'unsupported content type "{content_type}"; send JSON')
    body = await request.body()
    if not body:
        raise BadRequestError("the request body is empty")
    raw = _json(body, "the request body")
    if isinstance(raw, list):
        if not raw:
            raise BadRequestError("an empty batch")
        if len(raw) > max_batch:
            raise BadRequestError(f"a batch may hold at most {max_batch} operations")
        return [_one(item, "POST") for item in raw], True
    return [_one(raw, "POST")], False


def encode_response(
    responses: list[GraphQLResponse], batch: bool, media_type: str
) -> tuple[bytes, int]:
    """Serialise and choose the HTTP status for the negotiated media type."""
    if batch:
        return orjson.dumps([r.to_dict() for r in responses]), 200
    response = responses[0]
    status = 200
    if media_type == GRAPHQL_RESPONSE_JSON and not response.executed:
        status = response.status
    elif response.request_error:
        # An unusable HTTP request (no query, bad variables, wrong method, no token) is
        # an HTTP-level failure for every client, whatever media type it accepts.
        status = response.status
    return orjson.dumps(response.to_dict()), status
