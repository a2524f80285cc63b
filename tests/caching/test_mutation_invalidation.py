"""Spec: the entities a mutation returned are found by type and key, read along the client
operation with the schema (aliases, fragments), and a type whose key is missing is
invalidated whole."""

from __future__ import annotations

import pytest
from cache_graph import supergraph_sdl
from graphql import parse

from gateway.caching import returned_entities
from gateway.caching.schema_facts import EntityKeys, touched_types
from gateway.supergraph import Supergraph

ID = "211221199003074518"


@pytest.fixture(scope="module")
def supergraph() -> Supergraph:
    return Supergraph.from_sdl(supergraph_sdl("http://127.0.0.1:1", "http://127.0.0.1:2"))


def walk(supergraph: Supergraph, operation: str, data: dict[str, object]) -> object:
    returned = returned_entities(
        supergraph.api_schema, EntityKeys.of(supergraph), parse(operation), None, data
    )
    return returned.entities, sorted(returned.types)


def test_an_entity_is_found_under_an_alias_and_inside_fragments(supergraph: Supergraph) -> None:
    operation = """
        mutation { changed: updatePhone(idNumber: "1", phone: "2") { ...P } }
        fragment P on Person { id: idNumber ... on Person { phone } }
    """
    data = {"changed": {"id": ID, "phone": "13800000000"}}
    assert walk(supergraph, operation, data) == ([("Person", {"idNumber": ID})], [])


def test_entities_nested_in_what_the_mutation_returned_are_found_too(
    supergraph: Supergraph,
) -> None:
    operation = """mutation { updatePhone(idNumber: "1", phone: "2") {
        idNumber representedEnterprises { creditCode name } } }"""
    data = {
        "updatePhone": {
            "idNumber": ID,
            "representedEnterprises": [{"creditCode": "91211221MA0U000011", "name": "粮油"}],
        }
    }
    assert walk(supergraph, operation, data) == (
        [("Person", {"idNumber": ID}), ("Enterprise", {"creditCode": "91211221MA0U000011"})],
        [],
    )


def test_an_entity_returned_without_its_key_invalidates_its_whole_type(
    supergraph: Supergraph,
) -> None:
    operation = 'mutation { updatePhone(idNumber: "1", phone: "2") { phone } }'
    assert walk(supergraph, operation, {"updatePhone": {"phone": "1"}}) == ([], ["Person"])


def test_an_operation_touches_the_types_it_can_return(supergraph: Supergraph) -> None:
    document = parse("{ enterprises { name representative { registeredCounty { code } } } }")
    assert touched_types(supergraph.api_schema, document) == {"Enterprise", "Person", "Division"}
