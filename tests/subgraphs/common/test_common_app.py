"""The subgraph app factory over real loopback HTTP: signatures, health, masked bugs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
import strawberry
from subgraph_testkit import serve

from gateway.policy.signing import sign_subgraph_request
from subgraphs.common.app import make_subgraph_app
from subgraphs.common.context import SubgraphContext
from subgraphs.common.errors import bad_input
from subgraphs.common.schema import SubgraphSchema

SECRET = b"test-subgraph-secret"


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "你好"

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("connection string postgres://secret@db leaked")

    @strawberry.field
    def refused(self) -> str:
        raise bad_input("county", "Tieling county-level division code")

    @strawberry.field
    def caller(self, info: strawberry.Info[SubgraphContext[Any], None]) -> str | None:
        c = info.context.caller
        return None if c is None else f"{c.subject}/{c.client_id}/{c.purpose}"


schema = SubgraphSchema(query=Query)


@pytest.fixture(scope="module")
def signed_url() -> Iterator[str]:
    with serve(make_subgraph_app(schema, name="demo", signing_secret=SECRET)) as url:
        yield url


def _signed(body: bytes, secret: bytes = SECRET, **caller: str | None) -> dict[str, str]:
    headers = sign_subgraph_request(
        body,
        secret=secret,
        subject=caller.get("subject", "officer-7"),
        client_id=caller.get("client_id", "portal"),
        purpose=caller.get("purpose", "DB-2026-001"),
    )
    return {"content-type": "application/json", **headers}


def test_an_unsigned_request_is_refused_with_401_and_a_graphql_error(signed_url: str) -> None:
    response = httpx.post(f"{signed_url}/graphql", json={"query": "{ hello }"})
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "message": "Unauthenticated: request is not signed by the gateway",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }


def test_a_request_signed_with_another_secret_is_refused(signed_url: str) -> None:
    body = orjson.dumps({"query": "{ hello }"})
    response = httpx.post(f"{signed_url}/graphql", content=body, headers=_signed(body, b"wrong"))
    assert response.status_code == 401
    assert "signature does not match" in response.json()["errors"][0]["message"]


def test_a_signed_request_is_answered_and_its_caller_reaches_the_context(signed_url: str) -> None:
    body = orjson.dumps({"query": "{ hello caller }"})
    response = httpx.post(f"{signed_url}/graphql", content=body, headers=_signed(body))
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "你好", "caller": "officer-7/portal/DB-2026-001"}}


def test_a_signed_get_covers_the_query_string(signed_url: str) -> None:
    query = b"query=%7B%20hello%20%7D"
    headers = _signed(query)
    ok = httpx.get(f"{signed_url}/graphql?{query.decode()}", headers=headers)
    assert ok.json() == {"data": {"hello": "你好"}}
    tampered = httpx.get(f"{signed_url}/graphql?query=%7B%20caller%20%7D", headers=headers)
    assert tampered.status_code == 401


def test_health_needs_no_signature(signed_url: str) -> None:
    response = httpx.get(f"{signed_url}/health")
    assert response.json() == {"status": "ok", "subgraph": "demo"}


def test_a_bug_is_masked_as_internal_server_error_without_details(signed_url: str) -> None:
    body = orjson.dumps({"query": "{ boom }"})
    response = httpx.post(f"{signed_url}/graphql", content=body, headers=_signed(body))
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Internal server error",
                "locations": [{"line": 1, "column": 3}],
                "path": ["boom"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    assert "secret" not in response.text


def test_refused_input_keeps_its_message_and_extensions(signed_url: str) -> None:
    body = orjson.dumps({"query": "{ refused }"})
    response = httpx.post(f"{signed_url}/graphql", content=body, headers=_signed(body))
    assert response.json()["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "rule": "Tieling county-level division code",
        "argument": "county",
    }


def test_without_a_secret_the_subgraph_answers_anyone() -> None:
    with serve(make_subgraph_app(schema, name="dev", signing_secret=None)) as url:
        response = httpx.post(f"{url}/graphql", json={"query": "{ hello caller }"})
    assert response.json() == {"data": {"hello": "你好", "caller": None}}


def test_a_failing_health_check_answers_503() -> None:
    async def broken() -> None:
        raise OSError("database down")

    app = make_subgraph_app(schema, name="sick", signing_secret=None, health_check=broken)
    with serve(app) as url:
        response = httpx.get(f"{url}/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "subgraph": "sick"}
