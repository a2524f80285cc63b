"""@interfaceObject subgraphs add fields to an interface they cannot see the
implementations of; Federation 1 subgraphs (no @link) compose with Apollo's upgrade."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect

WITH_IMPLEMENTATIONS = (
    FED2
    + """
type Query { media: [Media] }
interface Media @key(fields: "id") { id: ID!  title: String }
type Book implements Media @key(fields: "id") { id: ID!  title: String  pages: Int }
type Film implements Media @key(fields: "id") { id: ID!  title: String }
"""
)
AS_OBJECT = (
    FED2
    + """
type Query { top: [Media] }
type Media @key(fields: "id") @interfaceObject { id: ID!  rating: Int }
"""
)


def test_an_interface_object_is_the_interface_and_its_fields_reach_every_implementation() -> None:
    result = compose_inline(a=WITH_IMPLEMENTATIONS, b=AS_OBJECT)
    assert block(result, "interface Media") == expect("""
        interface Media
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id", isInterfaceObject: true)
        {
          id: ID!
          title: String @join__field(graph: A)
          rating: Int @join__field(graph: B)
        }""")
    assert block(result, "type Book") == expect("""
        type Book implements Media
          @join__implements(graph: A, interface: "Media")
          @join__type(graph: A, key: "id")
        {
          id: ID!
          title: String
          pages: Int
          rating: Int @join__field
        }""")


def test_an_interface_object_without_a_key_is_refused() -> None:
    result = compose_inline(a=WITH_IMPLEMENTATIONS, b=AS_OBJECT.replace('@key(fields: "id") ', ""))
    assert codes(result) == ["INTERFACE_OBJECT_USAGE_ERROR"]


LEGACY = """
type Query { topProducts: [Product] }
type Product @key(fields: "upc") { upc: String!  name: String  price: Int }
type Review { body: String  product: Product @provides(fields: "name") }
extend type User @key(fields: "id") {
  id: ID! @external
  username: String @external
  reviews: [Review] @requires(fields: "username")
  nick: String @external
}
"""
MODERN = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key", "@shareable"])
type Query { me: User }
type User @key(fields: "id") { id: ID!  username: String @shareable }
type Product @key(fields: "upc") { upc: String!  name: String @shareable  inStock: Boolean }
"""


def test_a_federation_1_extension_borrows_fields_and_drops_unused_externals() -> None:
    result = compose_inline(legacy=LEGACY, modern=MODERN)
    # `extend type` of Federation 1 is not an extension any more; the key field's
    # @external meant nothing; `nick` was @external and unused, so it is gone.
    assert block(result, "type User") == expect("""
        type User
          @join__type(graph: LEGACY, key: "id")
          @join__type(graph: MODERN, key: "id")
        {
          id: ID!
          username: String @join__field(graph: LEGACY, external: true) @join__field(graph: MODERN)
          reviews: [Review] @join__field(graph: LEGACY, requires: "username")
        }""")


def test_a_federation_1_provides_of_a_field_the_subgraph_owns_is_dropped() -> None:
    result = compose_inline(legacy=LEGACY, modern=MODERN)
    assert block(result, "type Review") == expect("""
        type Review
          @join__type(graph: LEGACY)
        {
          body: String
          product: Product
        }""")


def test_extends_in_federation_1_still_marks_the_key_as_an_extension() -> None:
    owner = 'type Query { u: User }\ntype User @key(fields: "id") { id: ID!  name: String }'
    borrower = 'type Query { v: User }\ntype User @key(fields: "id") @extends { id: ID! @external  age: Int }'
    result = compose_inline(owner=owner, borrower=borrower)
    assert block(result, "type User").splitlines()[1:3] == [
        '  @join__type(graph: BORROWER, key: "id", extension: true)',
        '  @join__type(graph: OWNER, key: "id")',
    ]


def test_a_field_an_interface_object_adds_must_be_shareable_if_an_implementation_has_it() -> None:
    owner = (
        FED2
        + """
    type Query { accounts: [Account] }
    interface Account @key(fields: "id") { id: ID! }
    type Admin implements Account @key(fields: "id") { id: ID!  isActive: Boolean }
    """
    )
    extender = (
        FED2 + 'type Account @key(fields: "id") @interfaceObject { id: ID!  isActive: Boolean }'
    )
    result = compose_inline(a=owner, c=extender)
    assert [str(e) for e in result.errors] == [
        '[INVALID_FIELD_SHARING] Non-shareable field "Admin.isActive" is resolved from multiple '
        'subgraphs: it is resolved from subgraphs "a" and "c" (through @interfaceObject field '
        '"Account.isActive") and defined as non-shareable in subgraphs "a", "c" (through '
        '@interfaceObject field "Account.isActive")'
    ]


def test_an_interface_object_of_an_interface_declared_only_in_federation_1_is_refused() -> None:
    legacy = 'type Query { media: [Media] }\ninterface Media @key(fields: "id") { id: ID! }\ntype Book implements Media @key(fields: "id") { id: ID! }'
    result = compose_inline(a=legacy, b=AS_OBJECT)
    assert codes(result) == ["INTERFACE_OBJECT_USAGE_ERROR"]
