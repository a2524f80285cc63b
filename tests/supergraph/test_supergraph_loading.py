"""Loading a supergraph: subgraphs, join metadata, the API schema, and refusals."""

from __future__ import annotations

import hashlib

import pytest
from graphql import graphql_sync, print_ast

from gateway.supergraph import Supergraph, SupergraphError
from tests.planner.supergraphs import HEADER, supergraph

BODY = """
type Query @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  person(id: ID!): Person @join__field(graph: POPULATION)
  internalStats: Int @inaccessible @join__field(graph: CIVIL)
}
type Person
  @join__type(graph: POPULATION, key: "id")
  @join__type(graph: CIVIL, key: "id org { code }", resolvable: false)
{
  id: ID!
  org: Org
  name: String @join__field(graph: POPULATION) @tag(name: "pii")
  idNumber: String @join__field(graph: POPULATION) @inaccessible
  status: Status @join__field(graph: CIVIL, requires: "name", external: false)
}
type Org @join__type(graph: POPULATION) @join__type(graph: CIVIL) { code: String }
enum Status @join__type(graph: CIVIL) {
  ACTIVE @join__enumValue(graph: CIVIL)
  SEALED @join__enumValue(graph: CIVIL) @inaccessible
}
type Secret @inaccessible @join__type(graph: CIVIL) { x: Int }
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
"""

LINKS = """
extend schema
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
  @link(url: "https://specs.apollo.dev/tag/v0.3")
"""


def load() -> Supergraph:
    return supergraph(["population", "civil"], BODY + LINKS)


def test_subgraphs_are_named_by_their_join_graph_name_with_their_url() -> None:
    sg = load()
    assert {n: s.url for n, s in sg.subgraphs.items()} == {
        "population": "http://127.0.0.1:9/population",
        "civil": "http://127.0.0.1:9/civil",
    }
    assert sg.hash == hashlib.sha256(sg.sdl.encode()).hexdigest()


def test_keys_are_parsed_field_sets_with_their_resolvability() -> None:
    person = load().types["Person"]
    (civil_key,) = person.keys_in("civil")
    assert civil_key.resolvable is False
    assert print_ast(civil_key.selection) == "{\n  id\n  org {\n    code\n  }\n}"
    assert [k.fields for k in person.keys_in("population")] == ["id"]


def test_field_joins_keep_requires_as_a_parsed_selection() -> None:
    status = load().types["Person"].fields["status"]
    join = status.join_for("civil")
    assert join is not None and join.requires is not None
    assert print_ast(join.requires) == "{\n  name\n}"


def test_enum_values_record_the_subgraphs_that_define_them() -> None:
    assert load().types["Status"].enum_values == {"ACTIVE": {"civil"}, "SEALED": {"civil"}}


def test_the_api_schema_drops_join_machinery_and_inaccessible_elements() -> None:
    sg = load()
    api = sg.api_sdl
    for hidden in (
        "join__",
        "link__",
        "@link",
        "internalStats",
        "idNumber",
        "SEALED",
        "Secret",
        "@tag",
    ):
        assert hidden not in api
    assert "name: String" in api and "ACTIVE" in api
    assert "idNumber" in sg.types["Person"].fields  # the planner still knows it


def test_the_api_schema_answers_introspection() -> None:
    result = graphql_sync(load().api_schema, '{ __type(name: "Person") { fields { name } } }')
    assert result.errors is None
    assert [f["name"] for f in result.data["__type"]["fields"]] == ["id", "org", "name", "status"]


def test_a_security_feature_we_do_not_implement_is_refused() -> None:
    links = 'extend schema @link(url: "https://specs.example.org/masking/v1.0", for: SECURITY)'
    with pytest.raises(SupergraphError, match=r"masking/v1\.0 for SECURITY"):
        supergraph(["population", "civil"], BODY + LINKS + links)


def test_an_execution_feature_we_do_not_implement_is_refused() -> None:
    links = 'extend schema @link(url: "https://specs.apollo.dev/context/v0.1", for: EXECUTION)'
    with pytest.raises(SupergraphError, match="does not implement"):
        supergraph(["population", "civil"], BODY + LINKS + links)


def test_authorization_features_are_accepted_because_the_policy_engine_honours_them() -> None:
    links = """
extend schema
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)
directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
"""
    sg = supergraph(["population", "civil"], BODY + LINKS + links)
    assert "authenticated" not in sg.api_sdl


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("", "empty"),
        ("type Query {", "does not parse"),
        ("type Query { a: Int }", "not a Federation 2 supergraph"),
        (
            'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query } type Query { a: Int }',
            "does not @link the join spec",
        ),
        (
            HEADER.replace("join/v0.3", "join/v0.1") % {"mutation": ""},
            "join v0.1 is not supported",
        ),
        (HEADER % {"mutation": ""} + "type Query { a: Int }", "no join__Graph enum"),
    ],
)
def test_a_bad_supergraph_is_refused_with_a_reason(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError, match=message):
        Supergraph.from_sdl(sdl)


def test_a_bad_key_field_set_is_refused_with_where_it_is() -> None:
    bad = BODY.replace('key: "id org { code }"', 'key: "id org {"')
    with pytest.raises(SupergraphError, match="bad field set 'id org \\{' on @key of Person"):
        supergraph(["population", "civil"], bad + LINKS)


def test_a_join_directive_naming_an_unknown_subgraph_is_refused() -> None:
    bad = BODY.replace(
        "@join__type(graph: POPULATION) @join__type(graph: CIVIL) {\n  person",
        "@join__type(graph: TAX) {\n  person",
    )
    with pytest.raises(SupergraphError, match="unknown subgraph 'TAX'"):
        supergraph(["population", "civil"], bad + LINKS)
