"""Abstract types whose membership differs per subgraph; value types re-fetched from their parent entity."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["catalog", "warranty", "details"],
    """
type Query @join__type(graph: CATALOG) @join__type(graph: WARRANTY) @join__type(graph: DETAILS) {
  products: [Product] @join__field(graph: CATALOG)
  node(id: ID!): Node @join__field(graph: CATALOG) @join__field(graph: WARRANTY)
}
union Product @join__type(graph: CATALOG) @join__unionMember(graph: CATALOG, member: "Oven") @join__unionMember(graph: CATALOG, member: "Toaster") = Oven | Toaster
interface Node @join__type(graph: CATALOG) @join__type(graph: WARRANTY) {
  id: ID!
}
type Oven implements Node
  @join__implements(graph: WARRANTY, interface: "Node")
  @join__type(graph: CATALOG, key: "id")
  @join__type(graph: WARRANTY, key: "id")
  @join__type(graph: DETAILS, key: "id")
{
  id: ID!
  years: Int @join__field(graph: WARRANTY)
  spec: Spec @join__field(graph: CATALOG) @join__field(graph: DETAILS)
}
type Toaster implements Node
  @join__implements(graph: CATALOG, interface: "Node")
  @join__type(graph: CATALOG, key: "id")
{
  id: ID!
}
type Spec @join__type(graph: CATALOG) @join__type(graph: DETAILS) {
  watts: Int @join__field(graph: CATALOG) @join__field(graph: DETAILS)
  manual: String @join__field(graph: DETAILS)
}
type Kettle implements Node
  @join__implements(graph: CATALOG, interface: "Node")
  @join__implements(graph: WARRANTY, interface: "Node")
  @join__type(graph: CATALOG, key: "id")
  @join__type(graph: WARRANTY, key: "id")
{
  id: ID! @join__field(graph: CATALOG, external: true) @join__field(graph: WARRANTY)
}
""",
)


def test_a_fragment_on_an_interface_reaches_a_member_the_subgraph_does_not_know_implements_it() -> (
    None
):
    # catalog does not know Oven implements Node: Oven is asked for by its own type
    assert (
        plan_text(SG, "{ products { ... on Node { id } } }")
        == """QueryPlan {
  Fetch(service: "catalog") {
    {
      products {
        __typename
        ... on Oven {
          id
        }
        ... on Toaster {
          id
        }
      }
    }
  },
}"""
    )


def test_a_value_type_field_missing_here_is_fetched_again_through_the_parent_entity() -> None:
    # Spec has no key: details is asked for the Oven, then for its spec
    assert (
        plan_text(SG, "{ products { ... on Oven { spec { watts manual } } } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "catalog") {
      {
        products {
          __typename
          ... on Oven {
            spec {
              watts
            }
            id
          }
        }
      }
    },
    Flatten(path: "products.@") {
      Fetch(service: "details") {
        {
          ... on Oven {
            __typename
            id
          }
        } =>
        {
          ... on Oven {
            spec {
              manual
            }
          }
        }
      },
    },
  },
}"""
    )


def test_an_external_key_field_is_not_read_from_a_root_fetch_of_that_subgraph() -> None:
    # catalog only knows Kettle.id from representations; warranty resolves it, so node goes there
    assert (
        plan_text(SG, '{ node(id: "1") { id } }')
        == """QueryPlan {
  Fetch(service: "warranty") {
    {
      node(id: "1") {
        __typename
        id
      }
    }
  },
}"""
    )
