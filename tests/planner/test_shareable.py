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


# A shared value type below an entity holds a union each subgraph knows only in part.
PARTIAL = supergraph(
    ["population", "civil"],
    """
type Query @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  household(id: ID!): Household @join__field(graph: POPULATION)
}
type Household @join__type(graph: POPULATION, key: "id") @join__type(graph: CIVIL, key: "id") {
  id: ID!
  record: Record
  civilRecord: Record @join__field(graph: CIVIL)
}
type Record @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  events: [Event!]!
}
union Event @join__type(graph: POPULATION) @join__type(graph: CIVIL)
  @join__unionMember(graph: POPULATION, member: "Note")
  @join__unionMember(graph: CIVIL, member: "Note")
  @join__unionMember(graph: POPULATION, member: "Birth")
  @join__unionMember(graph: CIVIL, member: "Marriage")
  = Note | Birth | Marriage
type Note @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  text: String
}
type Birth @join__type(graph: POPULATION) {
  date: String
}
type Marriage @join__type(graph: CIVIL) {
  date: String
}
""",
)


def test_a_type_another_subgraph_resolving_the_shared_field_cannot_return_is_not_fetched() -> None:
    # record.events is shareable: civil could answer it too and never returns a Birth, so
    # (same data in every subgraph) no Birth is there; Marriage is unknown to population.
    query = """{ household(id: "1") { record { events {
        __typename ... on Note { text } ... on Birth { date } ... on Marriage { date } } } } }"""
    assert (
        plan_text(PARTIAL, query)
        == """QueryPlan {
  Fetch(service: "population") {
    {
      household(id: "1") {
        record {
          events {
            __typename
            ... on Note {
              text
            }
          }
        }
      }
    }
  },
}"""
    )


def test_a_field_only_one_subgraph_resolves_keeps_every_type_it_returns() -> None:
    query = """{ household(id: "1") { civilRecord { events {
        ... on Birth { date } ... on Marriage { date } } } } }"""
    assert (
        plan_text(PARTIAL, query)
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      {
        household(id: "1") {
          __typename
          id
        }
      }
    },
    Flatten(path: "household") {
      Fetch(service: "civil") {
        {
          ... on Household {
            __typename
            id
          }
        } =>
        {
          ... on Household {
            civilRecord {
              events {
                __typename
                ... on Marriage {
                  date
                }
              }
            }
          }
        }
      },
    },
  },
}"""
    )
