"""@provides: fields a subgraph provides on a path are read there, without a jump."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["cases", "people"],
    """
type Query @join__type(graph: CASES) @join__type(graph: PEOPLE) {
  cases: [Case] @join__field(graph: CASES)
}
type Case @join__type(graph: CASES, key: "id") {
  id: ID!
  applicant: Person @join__field(graph: CASES, provides: "name")
  officer: Person
}
type Person @join__type(graph: CASES, key: "id") @join__type(graph: PEOPLE, key: "id") {
  id: ID!
  name: String @join__field(graph: CASES, external: true) @join__field(graph: PEOPLE)
  phone: String @join__field(graph: PEOPLE)
}
""",
)


def test_a_provided_field_is_read_from_the_providing_subgraph() -> None:
    assert (
        plan_text(SG, "{ cases { applicant { name } } }")
        == """QueryPlan {
  Fetch(service: "cases") {
    {
      cases {
        applicant {
          name
        }
      }
    }
  },
}"""
    )


def test_the_same_field_outside_the_provided_path_needs_its_owner() -> None:
    # officer is not under @provides: name comes from people
    assert (
        plan_text(SG, "{ cases { applicant { name } officer { name } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "cases") {
      {
        cases {
          applicant {
            name
          }
          officer {
            __typename
            id
          }
        }
      }
    },
    Flatten(path: "cases.@.officer") {
      Fetch(service: "people") {
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


def test_a_field_that_is_not_provided_still_jumps() -> None:
    assert (
        plan_text(SG, "{ cases { applicant { name phone } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "cases") {
      {
        cases {
          applicant {
            name
            __typename
            id
          }
        }
      }
    },
    Flatten(path: "cases.@.applicant") {
      Fetch(service: "people") {
        {
          ... on Person {
            __typename
            id
          }
        } =>
        {
          ... on Person {
            phone
          }
        }
      },
    },
  },
}"""
    )
