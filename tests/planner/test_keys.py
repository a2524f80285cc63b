"""Entity keys: single, multiple, composite and non-resolvable keys decide the jumps."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["people", "tax", "housing"],
    """
type Query @join__type(graph: PEOPLE) @join__type(graph: TAX) @join__type(graph: HOUSING) {
  person(idNumber: ID!): Person @join__field(graph: PEOPLE)
  register: [Household] @join__field(graph: HOUSING)
}
type Person
  @join__type(graph: PEOPLE, key: "idNumber")
  @join__type(graph: PEOPLE, key: "county serial")
  @join__type(graph: TAX, key: "county serial")
  @join__type(graph: HOUSING, key: "idNumber", resolvable: false)
{
  idNumber: ID! @join__field(graph: PEOPLE) @join__field(graph: HOUSING)
  county: String! @join__field(graph: PEOPLE) @join__field(graph: TAX)
  serial: Int! @join__field(graph: PEOPLE) @join__field(graph: TAX)
  name: String @join__field(graph: PEOPLE)
  taxClass: String @join__field(graph: TAX)
}
type Household @join__type(graph: HOUSING, key: "number") {
  number: ID!
  head: Person
}
""",
)


def test_a_field_of_another_subgraph_is_fetched_by_the_key_that_subgraph_resolves() -> None:
    # tax knows Person only by its composite key, so people must send county and serial.
    assert (
        plan_text(SG, '{ person(idNumber: "1") { name taxClass } }')
        == """QueryPlan {
  Sequence {
    Fetch(service: "people") {
      {
        person(idNumber: "1") {
          name
          __typename
          county
          serial
        }
      }
    },
    Flatten(path: "person") {
      Fetch(service: "tax") {
        {
          ... on Person {
            __typename
            county
            serial
          }
        } =>
        {
          ... on Person {
            taxClass
          }
        }
      },
    },
  },
}"""
    )


def test_a_non_resolvable_key_is_only_a_reference_to_follow_elsewhere() -> None:
    # housing returns Person references (idNumber) it cannot resolve itself: people can.
    assert (
        plan_text(SG, "{ register { number head { name } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "housing") {
      {
        register {
          number
          head {
            __typename
            idNumber
          }
        }
      }
    },
    Flatten(path: "register.@.head") {
      Fetch(service: "people") {
        {
          ... on Person {
            __typename
            idNumber
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


def test_a_key_missing_in_the_current_subgraph_is_fetched_first_through_another_key() -> None:
    # housing only has idNumber; tax needs county+serial, which people provides by idNumber.
    assert (
        plan_text(SG, "{ register { head { taxClass } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "housing") {
      {
        register {
          head {
            __typename
            idNumber
          }
        }
      }
    },
    Flatten(path: "register.@.head") {
      Fetch(service: "people") {
        {
          ... on Person {
            __typename
            idNumber
          }
        } =>
        {
          ... on Person {
            county
            serial
          }
        }
      },
    },
    Flatten(path: "register.@.head") {
      Fetch(service: "tax") {
        {
          ... on Person {
            __typename
            county
            serial
          }
        } =>
        {
          ... on Person {
            taxClass
          }
        }
      },
    },
  },
}"""
    )
