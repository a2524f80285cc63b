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


def test_a_guarded_selection_rides_on_an_unguarded_fetch_with_its_guard_inside() -> None:
    # one civil request instead of two, and the guard stays in the subgraph operation: an
    # excluded selection must not run (it may fail, and take its siblings down with it)
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
            }
            ... @include(if: $more) {
              marriages {
                id
              }
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


def test_a_second_guarded_copy_of_a_field_keeps_its_guard_in_the_next_entity_fetch() -> None:
    # spouse twice, once guarded: the population fetch below asks for phone only under $more
    assert (
        plan_text(
            SG,
            'query Q($more: Boolean!) { person(id: "1") { marriages { spouse { name } spouse @include(if: $more) { phone } } } }',
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
              spouse {
                __typename
                id
              }
              spouse @include(if: $more) {
                __typename
                id
              }
            }
          }
        }
      },
    },
    Flatten(path: "person.marriages.@.spouse") {
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
            ... @include(if: $more) {
              phone
            }
          }
        }
      },
    },
  },
}"""
    )


def test_guards_of_typed_and_untyped_fragments_stay_apart_in_a_shared_list_fetch() -> None:
    # one civil fetch for both fragments, each part under its own guard; the fetch that only
    # the @skip branch needs runs under that condition
    assert (
        plan_text(
            SG,
            "query Q($more: Boolean!, $less: Boolean!) { people { ... on Person @include(if: $more) { marriages { date } } ... @skip(if: $less) { marriages { spouse { name ... @include(if: $more) { phone } } } } } }",
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "population") {
      query Q__population__0($more: Boolean!, $less: Boolean!) {
        people {
          ... @include(if: $more) {
            __typename
            id
          }
          ... @skip(if: $less) {
            __typename
            id
          }
        }
      }
    },
    Flatten(path: "people.@") {
      Fetch(service: "civil") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            ... @include(if: $more) {
              marriages {
                date
              }
            }
            ... @skip(if: $less) {
              marriages {
                spouse {
                  __typename
                  id
                }
              }
            }
          }
        }
      },
    },
    Skip(if: $less) {
      Flatten(path: "people.@.marriages.@.spouse") {
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
              ... @include(if: $more) {
                phone
              }
            }
          }
        },
      },
    },
  },
}"""
    )
