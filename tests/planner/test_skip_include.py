"""@skip/@include: constants are folded, variables become Condition nodes."""

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


def test_a_constant_false_include_removes_the_selection() -> None:
    assert (
        plan_text(SG, '{ person(id: "1") { name marriages @include(if: false) { date } } }')
        == """QueryPlan {
  Fetch(service: "population") {
    {
      person(id: "1") {
        name
      }
    }
  },
}"""
    )


def test_a_variable_condition_stays_in_the_subgraph_query_and_guards_dependent_fetches() -> None:
    # the civil fetch runs only when $withMarriages is true
    assert (
        plan_text(
            SG,
            'query Q($withMarriages: Boolean!) { person(id: "1") { name marriages @include(if: $withMarriages) { date } } }',
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      {
        person(id: "1") {
          name
          __typename
          id
        }
      }
    },
    Include(if: $withMarriages) {
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
              marriages @include(if: $withMarriages) {
                date
              }
            }
          }
        },
      },
    },
  },
}"""
    )


def test_a_guarded_selection_rides_on_an_unguarded_fetch_to_the_same_subgraph_and_path() -> None:
    # one civil request instead of two; the response shaper drops what the guard excludes
    assert (
        plan_text(
            SG,
            'query Q($more: Boolean!) { person(id: "1") { marriages { date } ... @include(if: $more) { marriages { id } } } }',
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      {
        person(id: "1") {
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
              id
            }
          }
        }
      },
    },
  },
}"""
    )


def test_a_skip_condition_runs_the_fetch_in_the_else_branch() -> None:
    assert (
        plan_text(
            SG,
            'query Q($brief: Boolean!) { person(id: "1") { ... @skip(if: $brief) { marriages { date } } } }',
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      query Q__population__0($brief: Boolean!) {
        person(id: "1") {
          ... @skip(if: $brief) {
            __typename
            id
          }
        }
      }
    },
    Skip(if: $brief) {
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
  },
}"""
    )


def test_a_fragment_condition_around_a_conditional_root_field_stays_on_its_own_fragment() -> None:
    # @include may stand once per node: the fragment's condition wraps the field's.
    assert (
        plan_text(
            SG,
            'query Q($a: Boolean!, $b: Boolean!) { ... on Query @include(if: $b) { person(id: "1") @include(if: $a) { name } } }',
        )
        == """QueryPlan {
  Include(if: $b) {
    Include(if: $a) {
      Fetch(service: "population") {
        query Q__population__0($b: Boolean!, $a: Boolean!) {
          ... @include(if: $b) {
            person(id: "1") @include(if: $a) {
              name
            }
          }
        }
      },
    },
  },
}"""
    )
