"""Named and inline fragments, aliases and __typename: paths use response keys."""

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


def test_aliases_name_the_flatten_path_and_named_fragments_are_inlined() -> None:
    assert (
        plan_text(
            SG,
            'query Q { who: person(id: "1") { ...Names wed: marriages { date } } } fragment Names on Person { name }',
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      {
        who: person(id: "1") {
          name
          __typename
          id
        }
      }
    },
    Flatten(path: "who") {
      Fetch(service: "civil") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            wed: marriages {
              date
            }
          }
        }
      },
    },
  },
}"""
    )


def test_a_client_alias_named_like_a_key_field_makes_the_key_read_under_another_alias() -> None:
    # the client calls name 'id': the planner reads the key as id__req0 and renames it for civil
    assert (
        plan_text(SG, '{ person(id: "1") { id: name marriages { date } } }')
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      {
        person(id: "1") {
          id: name
          __typename
          id__req0: id
        }
      }
    },
    Flatten(path: "person") {
      Fetch(service: "civil") {
        {
          ... on Person {
            __typename
            id__req0
          }
        } =>
        {
          ... on Person {
            marriages {
              date
            }
          }
        }
        inputRewrites: ... on Person.id__req0 -> id
      },
    },
  },
}"""
    )


def test_typename_at_the_root_rides_on_a_root_fetch() -> None:
    assert (
        plan_text(SG, '{ __typename person(id: "1") { __typename name } }')
        == """QueryPlan {
  Fetch(service: "population") {
    {
      person(id: "1") {
        __typename
        name
      }
      __typename
    }
  },
}"""
    )


def test_only_typename_at_the_root_needs_no_fetch() -> None:
    # the gateway answers Query.__typename itself
    assert (
        plan_text(SG, "{ __typename }")
        == """QueryPlan {
}"""
    )


def test_variables_are_forwarded_only_to_the_fetches_that_use_them() -> None:
    assert (
        plan_text(
            SG, "query Q($id: ID!, $n: Int = 2) { person(id: $id) { name marriages { date } } }"
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      query Q__population__0($id: ID!) {
        person(id: $id) {
          name
          __typename
          id
        }
      }
    },
    Flatten(path: "person") {
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
  },
}"""
    )
