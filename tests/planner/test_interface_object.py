"""@interfaceObject: a subgraph that sees an interface as one object type."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["accounts", "audit"],
    """
type Query @join__type(graph: ACCOUNTS) @join__type(graph: AUDIT) {
  accounts: [Account] @join__field(graph: ACCOUNTS)
  flagged: [Account] @join__field(graph: AUDIT)
}
interface Account
  @join__type(graph: ACCOUNTS, key: "id")
  @join__type(graph: AUDIT, key: "id", isInterfaceObject: true)
{
  id: ID!
  lastReadBy: String @join__field(graph: AUDIT)
}
type Officer implements Account
  @join__implements(graph: ACCOUNTS, interface: "Account")
  @join__type(graph: ACCOUNTS, key: "id")
{
  id: ID!
  lastReadBy: String @join__field
  department: String @join__field(graph: ACCOUNTS)
}
type System implements Account
  @join__implements(graph: ACCOUNTS, interface: "Account")
  @join__type(graph: ACCOUNTS, key: "id")
{
  id: ID!
  lastReadBy: String @join__field
  clientId: String @join__field(graph: ACCOUNTS)
}
""",
)


def test_a_field_of_the_interface_object_is_fetched_with_the_interface_as_typename() -> None:
    # audit knows only Account: representations are rewritten to __typename Account
    assert (
        plan_text(SG, "{ accounts { id lastReadBy } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "accounts") {
      {
        accounts {
          __typename
          id
        }
      }
    },
    Flatten(path: "accounts.@") {
      Fetch(service: "audit") {
        {
          ... on Officer {
            __typename
            id
          }
          ... on System {
            __typename
            id
          }
        } =>
        {
          ... on Account {
            lastReadBy
          }
        }
        inputRewrites: ... on Officer.__typename = 'Account'
        inputRewrites: ... on System.__typename = 'Account'
      },
    },
  },
}"""
    )


def test_a_field_already_fetched_for_all_objects_at_a_path_is_not_fetched_again_for_one_type() -> (
    None
):
    # lastReadBy came with every flagged account: the Officer fragment needs no trip back to audit
    assert (
        plan_text(SG, "{ flagged { lastReadBy ... on Officer { lastReadBy department } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "audit") {
      {
        flagged {
          __typename
          lastReadBy
          id
        }
      }
    },
    Flatten(path: "flagged.@") {
      Fetch(service: "accounts") {
        {
          ... on Account {
            __typename
            id
          }
        } =>
        {
          ... on Account {
            __typename
            ... on Officer {
              department
            }
          }
        }
      },
    },
  },
}"""
    )


def test_the_real_type_of_an_interface_object_is_learnt_from_the_interface_subgraph() -> None:
    # audit returns Account objects; accounts tells which are Officers
    assert (
        plan_text(SG, "{ flagged { lastReadBy __typename ... on Officer { department } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "audit") {
      {
        flagged {
          __typename
          lastReadBy
          id
        }
      }
    },
    Flatten(path: "flagged.@") {
      Fetch(service: "accounts") {
        {
          ... on Account {
            __typename
            id
          }
        } =>
        {
          ... on Account {
            __typename
            ... on Officer {
              department
            }
          }
        }
      },
    },
  },
}"""
    )
