"""@override: the overriding subgraph resolves the field; progressive labels decide by rollout."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["legacy", "modern"],
    """
type Query @join__type(graph: LEGACY) @join__type(graph: MODERN) {
  permits: [Permit] @join__field(graph: LEGACY)
}
type Permit @join__type(graph: LEGACY, key: "id") @join__type(graph: MODERN, key: "id") {
  id: ID!
  status: String @join__field(graph: MODERN, override: "legacy")
  holder: String @join__field(graph: LEGACY, overrideLabel: "percent(50)") @join__field(graph: MODERN, override: "legacy", overrideLabel: "percent(50)")
  fee: Int @join__field(graph: LEGACY, overrideLabel: "percent(100)") @join__field(graph: MODERN, override: "legacy", overrideLabel: "percent(100)")
  note: String @join__field(graph: LEGACY, overrideLabel: "newNotes") @join__field(graph: MODERN, override: "legacy", overrideLabel: "newNotes")
}
""",
)


def test_an_overridden_field_is_fetched_from_the_overriding_subgraph() -> None:
    assert (
        plan_text(SG, "{ permits { status } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "legacy") {
      {
        permits {
          __typename
          id
        }
      }
    },
    Flatten(path: "permits.@") {
      Fetch(service: "modern") {
        {
          ... on Permit {
            __typename
            id
          }
        } =>
        {
          ... on Permit {
            status
          }
        }
      },
    },
  },
}"""
    )


def test_a_partial_rollout_label_keeps_the_old_subgraph() -> None:
    # percent(50) is not complete: legacy still answers holder
    assert (
        plan_text(SG, "{ permits { holder } }")
        == """QueryPlan {
  Fetch(service: "legacy") {
    {
      permits {
        holder
      }
    }
  },
}"""
    )


def test_a_complete_rollout_label_moves_the_field() -> None:
    # percent(100): modern answers fee
    assert (
        plan_text(SG, "{ permits { fee } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "legacy") {
      {
        permits {
          __typename
          id
        }
      }
    },
    Flatten(path: "permits.@") {
      Fetch(service: "modern") {
        {
          ... on Permit {
            __typename
            id
          }
        } =>
        {
          ... on Permit {
            fee
          }
        }
      },
    },
  },
}"""
    )


def test_a_label_the_caller_enables_moves_the_field() -> None:
    from graphql import parse

    from gateway.planner import QueryPlanner
    from gateway.planner.nodes import FetchNode, FlattenNode, SequenceNode

    plan = QueryPlanner(SG, frozenset({"newNotes"})).plan(parse("{ permits { note } }"))
    assert isinstance(plan.node, SequenceNode)
    last = plan.node.nodes[-1]
    assert isinstance(last, FlattenNode) and isinstance(last.node, FetchNode)
    assert last.node.service_name == "modern"


def test_without_the_label_the_old_subgraph_answers() -> None:
    assert "modern" not in plan_text(SG, "{ permits { note } }")
