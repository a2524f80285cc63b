"""Interfaces and unions spread over subgraphs: type conditions, __typename, per-type jumps."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["registry", "licences", "archive"],
    """
type Query @join__type(graph: REGISTRY) @join__type(graph: LICENCES) @join__type(graph: ARCHIVE) {
  subjects: [Subject] @join__field(graph: REGISTRY)
  search(text: String!): [Result] @join__field(graph: ARCHIVE)
}
interface Subject @join__type(graph: REGISTRY) @join__type(graph: LICENCES) {
  id: ID!
  displayName: String
}
type Citizen implements Subject
  @join__implements(graph: REGISTRY, interface: "Subject")
  @join__type(graph: REGISTRY, key: "id")
  @join__type(graph: ARCHIVE, key: "id")
{
  id: ID!
  displayName: String @join__field(graph: REGISTRY)
  files: Int @join__field(graph: ARCHIVE)
}
type Enterprise implements Subject
  @join__implements(graph: REGISTRY, interface: "Subject")
  @join__implements(graph: LICENCES, interface: "Subject")
  @join__type(graph: REGISTRY, key: "code")
  @join__type(graph: LICENCES, key: "code")
{
  code: ID! @join__field(graph: REGISTRY) @join__field(graph: LICENCES)
  id: ID!
  displayName: String @join__field(graph: LICENCES)
  licences: [String] @join__field(graph: LICENCES)
}
union Result @join__type(graph: ARCHIVE) @join__unionMember(graph: ARCHIVE, member: "Citizen") @join__unionMember(graph: ARCHIVE, member: "Document") = Citizen | Document
type Document @join__type(graph: ARCHIVE) {
  title: String
}
""",
)


def test_a_field_every_implementation_resolves_here_stays_on_the_interface() -> None:
    assert (
        plan_text(SG, "{ subjects { id __typename } }")
        == """QueryPlan {
  Fetch(service: "registry") {
    {
      subjects {
        __typename
        id
      }
    }
  },
}"""
    )


def test_an_interface_field_resolved_elsewhere_for_one_implementation_is_split_per_type() -> None:
    # Enterprise.displayName lives in licences: the interface field is asked per object type
    assert (
        plan_text(SG, "{ subjects { id displayName } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "registry") {
      {
        subjects {
          __typename
          id
          ... on Citizen {
            displayName
          }
          ... on Enterprise {
            code
          }
        }
      }
    },
    Flatten(path: "subjects.@") {
      Fetch(service: "licences") {
        {
          ... on Enterprise {
            __typename
            code
          }
        } =>
        {
          ... on Enterprise {
            displayName
          }
        }
      },
    },
  },
}"""
    )


def test_a_type_condition_on_an_implementation_jumps_for_that_type_only() -> None:
    assert (
        plan_text(SG, "{ subjects { ... on Enterprise { licences } ... on Citizen { files } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "registry") {
      {
        subjects {
          __typename
          ... on Enterprise {
            code
          }
          ... on Citizen {
            id
          }
        }
      }
    },
    Parallel {
      Flatten(path: "subjects.@") {
        Fetch(service: "licences") {
          {
            ... on Enterprise {
              __typename
              code
            }
          } =>
          {
            ... on Enterprise {
              licences
            }
          }
        },
      },
      Flatten(path: "subjects.@") {
        Fetch(service: "archive") {
          {
            ... on Citizen {
              __typename
              id
            }
          } =>
          {
            ... on Citizen {
              files
            }
          }
        },
      },
    },
  },
}"""
    )


def test_union_members_are_selected_by_type_condition_and_can_jump() -> None:
    assert (
        plan_text(
            SG, '{ search(text: "x") { ... on Document { title } ... on Citizen { displayName } } }'
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "archive") {
      {
        search(text: "x") {
          __typename
          ... on Document {
            title
          }
          ... on Citizen {
            id
          }
        }
      }
    },
    Flatten(path: "search.@") {
      Fetch(service: "registry") {
        {
          ... on Citizen {
            __typename
            id
          }
        } =>
        {
          ... on Citizen {
            displayName
          }
        }
      },
    },
  },
}"""
    )
