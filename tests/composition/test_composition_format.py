"""The printed supergraph is Apollo's format, byte for byte: the contract with the loader."""

from __future__ import annotations

from composition_support import FED2, block, compose_inline, expect, sdl_of

from gateway.composition import SubgraphSource, compose

PRODUCTS = (
    FED2
    + """
type Query { product(upc: ID!): Product  topProducts(first: Int = 5): [Product!]! }
type Product @key(fields: "upc") { upc: ID!  name: String!  price: Int }
"""
)

REVIEWS = (
    FED2
    + """
type Product @key(fields: "upc") { upc: ID!  reviews: [Review!]! }
"Written by a customer"
type Review { body: String!  stars: Int }
"""
)

TWO_SUBGRAPHS = expect('''
    schema
      @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
    {
      query: Query
    }

    directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

    directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

    directive @join__graph(name: String!, url: String!) on ENUM_VALUE

    directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

    directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

    directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

    directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

    scalar join__FieldSet

    enum join__Graph {
      PRODUCTS @join__graph(name: "products", url: "http://products.test/graphql")
      REVIEWS @join__graph(name: "reviews", url: "http://reviews.test/graphql")
    }

    scalar link__Import

    enum link__Purpose {
      """
      `SECURITY` features provide metadata necessary to securely resolve fields.
      """
      SECURITY

      """
      `EXECUTION` features provide metadata necessary for operation execution.
      """
      EXECUTION
    }

    type Product
      @join__type(graph: PRODUCTS, key: "upc")
      @join__type(graph: REVIEWS, key: "upc")
    {
      upc: ID!
      name: String! @join__field(graph: PRODUCTS)
      price: Int @join__field(graph: PRODUCTS)
      reviews: [Review!]! @join__field(graph: REVIEWS)
    }

    type Query
      @join__type(graph: PRODUCTS)
      @join__type(graph: REVIEWS)
    {
      product(upc: ID!): Product @join__field(graph: PRODUCTS)
      topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)
    }

    """Written by a customer"""
    type Review
      @join__type(graph: REVIEWS)
    {
      body: String!
      stars: Int
    }''')  # fmt: skip


def test_two_subgraphs_compose_to_apollos_supergraph_text_byte_for_byte() -> None:
    result = compose_inline(products=PRODUCTS, reviews=REVIEWS)
    assert sdl_of(result) == TWO_SUBGRAPHS
    assert result.errors == []


def test_the_order_subgraphs_are_given_in_does_not_change_the_output() -> None:
    assert sdl_of(compose_inline(reviews=REVIEWS, products=PRODUCTS)) == TWO_SUBGRAPHS


def test_graph_names_are_upper_cased_identifiers_and_colliding_ones_are_all_numbered() -> None:
    query = FED2 + "type Query { a: Int @shareable }"
    names = ["my-graph", "my.graph", "9lives", "plain"]
    result = compose([SubgraphSource(n, f"http://{n}.test/graphql", query) for n in names])
    assert [
        line.split(" @")[0].strip() for line in block(result, "enum join__Graph").splitlines()[1:-1]
    ] == [
        "_9LIVES",
        "MY_GRAPH_1",
        "MY_GRAPH_2",
        "PLAIN",
    ]
