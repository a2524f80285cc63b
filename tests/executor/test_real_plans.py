"""Integration spec: real plans (the planner) over real strawberry subgraphs, shaped for the client.

Each case: a client operation and variables in; the shaped data and errors out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from departments_pair import (
    CALLS,
    civil_affairs_app,
    population_app,
    serve,
    supergraph_sdl,
)
from graphql import parse

from gateway.executor import Executor, compile_shape, possible_types_of
from gateway.planner.planner import QueryPlanner
from gateway.supergraph import Supergraph
from gateway.transport.pooled import PooledFetcher


@pytest.fixture(scope="module")
def supergraph() -> Iterator[Supergraph]:
    with serve(population_app()) as population, serve(civil_affairs_app()) as civil:
        yield Supergraph.from_sdl(supergraph_sdl(population, civil))


async def run(
    supergraph: Supergraph,
    query: str,
    variables: dict[str, Any] | None = None,
    urls: dict[str, str] | None = None,
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    document = parse(query)
    plan = QueryPlanner(supergraph).plan(document)
    subgraph_urls = {name: info.url for name, info in supergraph.subgraphs.items()}
    subgraph_urls.update(urls or {})
    async with PooledFetcher(timeout=5.0) as fetcher:
        executor = Executor(
            fetcher, subgraph_urls, possible_types=possible_types_of(supergraph.schema)
        )
        result = await executor.execute(plan, variables or {})
    errors = list(result.errors)
    data = compile_shape(supergraph.api_schema, document, None).project(
        result.data, variables or {}, errors
    )
    return data, errors


async def test_household_members_with_their_marriages_come_from_two_departments(supergraph):
    CALLS.clear()

    data, errors = await run(
        supergraph,
        "query($h: ID!) { household(householdNumber: $h) "
        "{ members { name id: idNumber marriages { kind } } } }",
        {"h": "H1"},
    )

    assert errors == []
    assert data == {
        "household": {
            "members": [
                {"name": "王伟", "id": "211202199001010011", "marriages": [{"kind": "MARRIAGE"}]},
                {"name": "李娜", "id": "211202199203040022", "marriages": [{"kind": "MARRIAGE"}]},
                {"name": "王小明", "id": "211202201505060031", "marriages": []},
            ]
        }
    }
    assert CALLS["civil_affairs._entities"] == 3


async def test_include_false_skips_the_other_department_entirely(supergraph):
    CALLS.clear()

    data, errors = await run(
        supergraph,
        "query($h: ID!, $m: Boolean!) { household(householdNumber: $h) "
        "{ members { name marriages @include(if: $m) { kind } } } }",
        {"h": "H1", "m": False},
    )

    assert errors == []
    assert data == {
        "household": {"members": [{"name": "王伟"}, {"name": "李娜"}, {"name": "王小明"}]}
    }
    assert CALLS["civil_affairs._entities"] == 0


async def test_a_department_that_is_down_nulls_its_part_and_says_so(supergraph):
    data, errors = await run(
        supergraph,
        '{ household(householdNumber: "H1") { members { name marriages { kind } } } }',
        urls={"civil_affairs": "http://127.0.0.1:9/graphql"},
    )

    # marriages is non-null on non-null members: the null climbs to the nullable household.
    assert data == {"household": None}
    assert {e["extensions"]["code"] for e in errors} == {"SUBGRAPH_UNAVAILABLE"}
    assert errors[0]["path"] == ["household", "members", 0]


async def test_root_fields_of_both_departments_in_one_operation(supergraph):
    data, errors = await run(
        supergraph, '{ marriageCount household(householdNumber: "none") { __typename } }'
    )

    assert errors == []
    assert data == {"marriageCount": 2, "household": None}


COND_QUERY = (
    "query($h: ID!, $f: Boolean!) { household(householdNumber: $h) { members {"
    " name marriages { kind } ... @include(if: $f) { code: archiveCode } } } }"
)


async def test_an_excluded_fragment_sharing_an_entity_fetch_is_not_fetched(supergraph):
    # marriages and archiveCode come from one civil_affairs fetch; archiveCode always
    # fails. Excluded, it must not run: no error, and its siblings keep their data.
    data, errors = await run(supergraph, COND_QUERY, {"h": "H1", "f": False})

    assert errors == []
    assert data is not None
    members = data["household"]["members"]
    assert [m["marriages"] for m in members] == [[{"kind": "MARRIAGE"}], [{"kind": "MARRIAGE"}], []]
    assert all("code" not in m for m in members)


async def test_an_included_fragment_sharing_an_entity_fetch_runs_and_reports_its_error(
    supergraph,
):
    data, errors = await run(supergraph, COND_QUERY, {"h": "H1", "f": True})

    # archiveCode is String! in a list of Person!: the null reaches the nullable household
    assert data == {"household": None}
    assert errors
    assert "the civil archive is offline" in errors[0]["message"]
    assert errors[0]["path"][:3] == ["household", "members", 0]
