"""@shareable fields: the planner stays where it is, or picks the subgraph that misses least."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["population", "civil", "tax"],
    """
type Query @join__type(graph: POPULATION) @join__type(graph: CIVIL) @join__type(graph: TAX) {
  person(id: ID!): Person @join__field(graph: POPULATION) @join__field(graph: CIVIL)
  divisions: [Division] @join__field(graph: POPULATION) @join__field(graph: CIVIL) @join__field(graph: TAX)
}
type Person @join__type(graph: POPULATION, key: "id") @join__type(graph: CIVIL, key: "id") {
  id: ID!
  name: String @join__field(graph: POPULATION) @join__field(graph: CIVIL)
  birthDate: String @join__field(graph: POPULATION)
  marriages: Int @join__field(graph: CIVIL)
}
type Division @join__type(graph: POPULATION) @join__type(graph: CIVIL) @join__type(graph: TAX) {
  code: String!
  name: String @join__field(graph: POPULATION) @join__field(graph: CIVIL)
  taxOffice: String @join__field(graph: TAX)
}
""",
)


def test_a_shared_root_field_goes_where_the_whole_selection_resolves() -> None:
    # civil resolves name and marriages; population would need a jump
    assert (
        plan_text(SG, '{ person(id: "1") { name marriages } }')
        == """QueryPlan {
  Fetch(service: "civil") {
    {
      person(id: "1") {
        name
        marriages
      }
    }
  },
}"""
    )


def test_a_shared_field_is_read_in_the_current_subgraph() -> None:
    # one jump either way (birthDate and marriages live apart); name rides along in civil
    assert (
        plan_text(SG, '{ person(id: "1") { birthDate name marriages } }')
        == """QueryPlan {
  Sequence {
    Fetch(service: "civil") {
      {
        person(id: "1") {
          __typename
          id
          name
          marriages
        }
      }
    },
    Flatten(path: "person") {
      Fetch(service: "population") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            birthDate
          }
        }
      },
    },
  },
}"""
    )


def test_a_value_type_without_keys_is_split_over_root_fetches() -> None:
    # Division has no key: tax is asked for the same root field in parallel
    assert (
        plan_text(SG, "{ divisions { code name taxOffice } }")
        == """QueryPlan {
  Parallel {
    Fetch(service: "civil") {
      {
        divisions {
          code
          name
        }
      }
    },
    Fetch(service: "tax") {
      {
        divisions {
          taxOffice
        }
      }
    },
  },
}"""
    )
