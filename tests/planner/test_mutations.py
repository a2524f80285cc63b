"""Mutations: root fields run in order, each followed by its own entity fetches."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["population", "civil"],
    """
type Query @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  person(id: ID!): Person @join__field(graph: POPULATION)
  people: [Person] @join__field(graph: POPULATION)
}
type Mutation @join__type(graph: POPULATION) @join__type(graph: CIVIL) {
  updatePhone(id: ID!, phone: String!): Person @join__field(graph: POPULATION)
  registerMarriage(a: ID!, b: ID!): Marriage @join__field(graph: CIVIL)
  annulMarriage(id: ID!): Marriage @join__field(graph: CIVIL)
}
type Person @join__type(graph: POPULATION, key: "id") @join__type(graph: CIVIL, key: "id") {
  id: ID!
  name: String @join__field(graph: POPULATION)
  phone: String @join__field(graph: POPULATION)
  marriages: [Marriage] @join__field(graph: CIVIL)
}
type Marriage @join__type(graph: CIVIL, key: "id") {
  id: ID!
  spouse: Person
  date: String
}
""",
    mutation=True,
)


def test_mutation_fields_run_in_document_order_with_their_follow_ups() -> None:
    assert (
        plan_text(
            SG,
            'mutation M { a: updatePhone(id: "1", phone: "138") { marriages { date } } registerMarriage(a: "1", b: "2") { spouse { name } } annulMarriage(id: "9") { id } }',
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      mutation M__population__0 {
        a: updatePhone(id: "1", phone: "138") {
          __typename
          id
        }
      }
    },
    Flatten(path: "a") {
      Fetch(service: "civil") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            marriages {
              date
            }
          }
        }
      },
    },
    Fetch(service: "civil") {
      mutation M__civil__2 {
        registerMarriage(a: "1", b: "2") {
          spouse {
            __typename
            id
          }
        }
        annulMarriage(id: "9") {
          id
        }
      }
    },
    Flatten(path: "registerMarriage.spouse") {
      Fetch(service: "population") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            name
          }
        }
      },
    },
  },
}"""
    )
