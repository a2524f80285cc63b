"""The gateway end to end: real subgraphs on loopback, a supergraph, HTTP in and out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from gateway.app import create_app
from gateway.config import GatewayConfig
from tests.gateway.federated_fixture import (
    CALLS,
    companies_app,
    expected_companies,
    residents_app,
    supergraph_sdl,
)
from tests.support.servers import serve_asgi

GQL = "application/graphql-response+json"


@pytest.fixture(scope="module")
def supergraph_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_asgi(residents_app()) as residents, serve_asgi(companies_app()) as companies:
        path = tmp_path_factory.mktemp("sg") / "supergraph.graphql"
        path.write_text(supergraph_sdl(residents, companies))
        yield str(path)


@pytest.fixture
async def client(supergraph_file: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(GatewayConfig(supergraph=supergraph_file))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
        yield c
    await app.state.gateway.aclose()


async def test_a_query_crossing_two_subgraphs_is_joined_by_entity_keys(
    client: httpx.AsyncClient,
) -> None:
    CALLS.clear()
    response = await client.post(
        "/graphql",
        json={"query": "{ companies { name representative { name } } }"},
        headers={"accept": GQL},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"companies": expected_companies()}}
    # One root fetch and one batched entity fetch, whatever the number of companies.
    assert CALLS["companies.companies"] == 1
    assert CALLS["residents._entities"] == 2  # two distinct representatives, one request


async def test_aliases_typename_and_a_round_trip_back_to_the_first_subgraph(
    client: httpx.AsyncClient,
) -> None:
    query = """
      query Round { people: residents { __typename who: name companies { name } } }
    """
    response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert body["data"]["people"][0] == {
        "__typename": "Resident",
        "who": "王伟",
        "companies": [{"name": "铁岭粮油有限公司"}, {"name": "清河旅游公司"}],
    }
    assert body["data"]["people"][2]["companies"] == []


async def test_a_syntax_error_is_a_400_with_no_data_key(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ companies { "}, headers={"accept": GQL}
    )
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_an_unknown_field_is_a_validation_error_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ companies { taxNumber } }"}, headers={"accept": GQL}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert "taxNumber" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_entities_and_service_are_not_reachable_through_the_gateway(
    client: httpx.AsyncClient,
) -> None:
    for query in ("{ _service { sdl } }", "{ _entities(representations: []) { __typename } }"):
        response = await client.post("/graphql", json={"query": query}, headers={"accept": GQL})
        assert response.status_code == 400, query
        assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_mutation_over_get_is_refused_with_405(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "mutation { x }"}, headers={"accept": GQL}
    )
    assert response.status_code == 405
    assert "POST" in response.json()["errors"][0]["message"]


async def test_get_queries_and_introspection_are_answered_by_the_gateway(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ __schema { queryType { name } } __typename }"}
    )
    assert response.json() == {
        "data": {"__schema": {"queryType": {"name": "Query"}}, "__typename": "Query"}
    }


async def test_mixed_introspection_and_data_fields_are_both_answered(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ __type(name: "Company") { name } companies { name } }'},
    )
    body = response.json()
    assert body["data"]["__type"] == {"name": "Company"}
    assert len(body["data"]["companies"]) == 3


async def test_a_batch_runs_each_operation_on_its_own(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json=[{"query": "{ residents { name } }"}, {"query": "{ nope }"}],
    )
    first, second = response.json()
    assert len(first["data"]["residents"]) == 3
    assert "data" not in second and second["errors"]


async def test_malformed_json_and_wrong_variables_are_clear_400s(client: httpx.AsyncClient) -> None:
    bad_json = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.json()["errors"][0]["message"]
    bad_var = await client.post(
        "/graphql",
        json={"query": "query($id: ID!) { resident(id: $id) { name } }", "variables": {}},
    )
    assert bad_var.status_code == 400
    assert "$id" in bad_var.json()["errors"][0]["message"]


async def test_health_names_the_supergraph_and_its_subgraphs(client: httpx.AsyncClient) -> None:
    body = (await client.get("/health")).json()
    assert body["status"] == "ok"
    assert body["subgraphs"] == ["companies", "residents"]


async def test_browsers_get_an_explorer_that_needs_no_internet(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    assert "<textarea" in page
    # Government networks have no internet: nothing may be loaded from elsewhere.
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
