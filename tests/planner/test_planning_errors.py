"""Operations that cannot be planned fail with PlanningError and a message that says why."""

from __future__ import annotations

import pytest
from graphql import parse

from gateway.errors import PlanningError
from gateway.planner import QueryPlanner
from tests.planner.supergraphs import supergraph

SG = supergraph(
    ["population", "civil"],
    """
type Query @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  person(id: ID!): Person @join__field(graph: POPULATION)
}
type Person @join__type(graph: POPULATION, key: "id") @join__type(graph: CIVIL, key: "id", resolvable: false) {
  id: ID!
  name: String @join__field(graph: POPULATION)
  secretNote: String @join__field(graph: CIVIL)
}
""",
)


def plan(query: str, name: str | None = None) -> None:
    QueryPlanner(SG).plan(parse(query), name)


def test_a_field_only_a_subgraph_that_cannot_be_entered_resolves_is_refused() -> None:
    with pytest.raises(PlanningError, match=r"cannot plan Person\.secretNote"):
        plan('{ person(id: "1") { secretNote } }')


def test_an_unknown_operation_name_is_refused() -> None:
    with pytest.raises(PlanningError, match="no operation named 'Other'"):
        plan('query A { person(id: "1") { name } }', "Other")


def test_several_operations_without_a_name_are_refused() -> None:
    with pytest.raises(PlanningError, match="several operations"):
        plan('query A { person(id: "1") { name } } query B { __typename }')


def test_a_planning_error_is_a_client_error_with_its_code() -> None:
    with pytest.raises(PlanningError) as caught:
        plan('{ person(id: "1") { secretNote } }')
    assert caught.value.to_graphql()["extensions"]["code"] == "QUERY_PLANNING_FAILED"
    assert caught.value.status == 400


def test_a_fragment_cycle_in_an_unvalidated_document_is_refused_not_crashed() -> None:
    with pytest.raises(PlanningError, match="nested too deeply"):
        plan('{ person(id: "1") { ...A } } fragment A on Person { name ...A }')
