"""Spec: the policy engine inside the real pipeline — planner, executor and shaping — over
two subgraphs on loopback. Hidden row fields travel through entity fetches, join keys the
caller may not read are used but never returned, and rows of another county come back null."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from policy_federation import market_app, population_app, supergraph_sdl
from support.servers import serve_asgi

from gateway.executor import Executor
from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, RequestContext
from gateway.policy import PolicyAuthorizer, PolicyStore, Principal
from gateway.supergraph import Supergraph
from gateway.transport.http import HttpFetcher

HERE = Path(__file__).parent
OFFICER = Principal(
    kind="user", subject="officer-1", county="211221", scopes=frozenset({"civil_affairs:officer"})
)


@pytest.fixture(scope="module")
def supergraph() -> Iterator[Supergraph]:
    with serve_asgi(population_app()) as population, serve_asgi(market_app()) as market:
        yield Supergraph.from_sdl(supergraph_sdl(population, market))


async def run(supergraph: Supergraph, query: str, purpose: str | None = "DB-2026-1") -> Any:
    urls = {name: info.url for name, info in supergraph.subgraphs.items()}
    fetcher = HttpFetcher(timeout=10)
    store = PolicyStore(HERE / "e2e_policies", supergraph.api_schema)
    assert not store.current.deny_all, store.last_findings
    pipeline = Pipeline(
        supergraph,
        Executor(fetcher, urls),
        authorizer=PolicyAuthorizer(store, supergraph.api_schema),
    )
    try:
        response = await pipeline.run(
            GraphQLRequest(query=query), RequestContext(principal=OFFICER, purpose=purpose)
        )
    finally:
        await fetcher.aclose()
    return response


async def test_a_resident_of_the_officers_county_comes_back_masked(
    supergraph: Supergraph,
) -> None:
    response = await run(supergraph, '{ person(idNumber: "211221199003074518") { name phone } }')
    assert response.data == {"person": {"name": "李**", "phone": "138****5678"}}
    assert response.errors == []


async def test_a_resident_of_another_county_comes_back_null(supergraph: Supergraph) -> None:
    response = await run(supergraph, '{ person(idNumber: "211202198512121236") { name } }')
    assert response.data == {"person": None}
    assert [(e["extensions"]["code"], e["path"]) for e in response.errors] == [
        ("UNAUTHORIZED_ROW", ["person"])
    ]


async def test_a_denied_row_in_a_non_null_position_nulls_its_parents_as_the_spec_says(
    supergraph: Supergraph,
) -> None:
    # enterprises: [Enterprise!]! and representative: Person! -- the null bubbles to data.
    response = await run(supergraph, "{ enterprises { name representative { name } } }")
    assert response.data is None
    assert [(e["extensions"]["code"], e["path"]) for e in response.errors] == [
        ("UNAUTHORIZED_ROW", ["enterprises", 1, "representative"])
    ]


async def test_a_join_key_the_caller_may_not_read_is_used_but_never_returned(
    supergraph: Supergraph,
) -> None:
    query = '{ person(idNumber: "211221199003074518") { name representedEnterprises { name } } }'
    response = await run(supergraph, query)
    assert response.data == {
        "person": {
            "name": "李**",
            "representedEnterprises": [{"name": "铁岭县粮油有限公司"}],
        }
    }
    assert "211221199003074518" not in json.dumps(response.to_dict(), ensure_ascii=False)


async def test_a_denied_field_comes_back_null_with_its_error(supergraph: Supergraph) -> None:
    response = await run(
        supergraph, '{ person(idNumber: "211221199003074518") { phone } }', purpose=None
    )
    assert response.data == {"person": {"phone": None}}
    assert [(e["extensions"]["code"], e["path"]) for e in response.errors] == [
        ("PURPOSE_REQUIRED", ["person", "phone"])
    ]
