"""What one subgraph declares shapes its request: clashing leaf types, narrower types."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["registry", "archive"],
    """
type Query @join__type(graph: REGISTRY) @join__type(graph: ARCHIVE) {
  subjects: [Subject] @join__field(graph: REGISTRY)
  latest: Item @join__field(graph: REGISTRY, type: "Deed")
}
union Subject @join__type(graph: REGISTRY) @join__unionMember(graph: REGISTRY, member: "Citizen") @join__unionMember(graph: REGISTRY, member: "Company") = Citizen | Company
type Citizen @join__type(graph: REGISTRY, key: "id") {
  id: ID @join__field(graph: REGISTRY, type: "ID!")
  name: String
}
type Company @join__type(graph: REGISTRY, key: "id") {
  id: ID @join__field(graph: REGISTRY, type: "ID")
  name: String
}
union Item @join__type(graph: REGISTRY) @join__type(graph: ARCHIVE) @join__unionMember(graph: ARCHIVE, member: "Deed") @join__unionMember(graph: ARCHIVE, member: "Map") = Deed | Map
type Deed @join__type(graph: REGISTRY) @join__type(graph: ARCHIVE) { number: String }
type Map @join__type(graph: ARCHIVE) { scale: Int }
""",
)


def test_a_leaf_whose_subgraph_type_differs_between_fragments_is_aliased_and_renamed_back() -> None:
    # Citizen.id is ID! and Company.id is ID in registry: one document cannot select both as id
    assert (
        plan_text(SG, "{ subjects { ... on Citizen { id name } ... on Company { id name } } }")
        == """QueryPlan {
  Fetch(service: "registry") {
    {
      subjects {
        __typename
        ... on Citizen {
          id
          name
        }
        ... on Company {
          id__alias_0: id
          name
        }
      }
    }
    outputRewrites: subjects.... on Company.id__alias_0 -> id
  },
}"""
    )


def test_a_subgraph_that_declares_an_object_where_the_supergraph_has_a_union_gets_no_foreign_fragments() -> (
    None
):
    # registry says latest is a Deed: the fragment on Map cannot apply there
    assert (
        plan_text(SG, "{ latest { ... on Deed { number } ... on Map { scale } } }")
        == """QueryPlan {
  Fetch(service: "registry") {
    {
      latest {
        number
      }
    }
  },
}"""
    )


HOLDERS = supergraph(
    ["registry", "archive"],
    """
type Query @join__type(graph: REGISTRY) @join__type(graph: ARCHIVE) {
  holder: Holder @join__field(graph: REGISTRY)
}
type Holder @join__type(graph: REGISTRY, key: "id") @join__type(graph: ARCHIVE, key: "id") {
  id: ID!
  subjects: [Subject] @join__field(graph: ARCHIVE)
}
union Subject @join__type(graph: ARCHIVE) @join__unionMember(graph: ARCHIVE, member: "Citizen") @join__unionMember(graph: ARCHIVE, member: "Company") = Citizen | Company
type Citizen @join__type(graph: ARCHIVE) { code: ID @join__field(graph: ARCHIVE, type: "ID!") }
type Company @join__type(graph: ARCHIVE) { code: ID @join__field(graph: ARCHIVE, type: "ID") }
""",
)


def test_an_entity_fetch_with_renames_selects_typename_so_its_type_steps_can_match() -> None:
    text = plan_text(
        HOLDERS, "{ holder { subjects { ... on Citizen { code } ... on Company { code } } } }"
    )
    assert "code__alias_0: code" in text
    assert "outputRewrites: ... on Holder.subjects.... on Company.code__alias_0 -> code" in text
    entity_selection = text.split("=>")[1]
    assert entity_selection.count("__typename") == 2  # the union's, and the entity's own
