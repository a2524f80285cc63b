"""Every field a client can select must be resolvable wherever a query can reach its
type: in the subgraph the path is in, or one reachable by a resolvable @key whose fields
that path can supply (simplified version of Apollo's satisfiability check)."""

from __future__ import annotations

from composition_support import FED2, codes, compose_inline, expect, sdl_of


def test_a_value_type_field_only_another_subgraph_has_is_unreachable() -> None:
    a = FED2 + "type Query { a: V }\ntype V @shareable { x: Int }"
    b = FED2 + "type Query { b: V }\ntype V @shareable { x: Int  y: Int }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["SATISFIABILITY_ERROR"]
    assert (
        result.errors[0].message
        == expect("""
        The following supergraph API query:
        {
          a {
            y
          }
        }
        cannot be satisfied by the subgraphs because: from subgraph "a", no subgraph reachable with @key resolves field "V.y".""")
    )


def test_an_entity_whose_other_keys_are_not_resolvable_cannot_be_completed() -> None:
    a = FED2 + 'type Query { t: T }\ntype T @key(fields: "id", resolvable: false) { id: ID! }'
    b = (
        FED2
        + 'type Query { u: T }\ntype T @key(fields: "id", resolvable: false) { id: ID!  name: String }'
    )
    assert codes(compose_inline(a=a, b=b)) == ["SATISFIABILITY_ERROR"]


def test_a_key_whose_fields_the_path_cannot_supply_leads_nowhere() -> None:
    a = FED2 + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID! }'
    b = FED2 + 'type T @key(fields: "id code") { id: ID!  code: String!  name: String }'
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["SATISFIABILITY_ERROR", "SATISFIABILITY_ERROR"]
    assert ['"T.code"' in e.message or '"T.name"' in e.message for e in result.errors] == [
        True,
        True,
    ]


def test_key_fields_may_come_from_the_path_and_then_the_entity_is_completed_by_key() -> None:
    a = (
        FED2
        + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  code: String! @shareable }'
    )
    b = FED2 + 'type T @key(fields: "id code") { id: ID!  code: String! @shareable  name: String }'
    assert "  name: String @join__field(graph: B)" in sdl_of(compose_inline(a=a, b=b))


def test_fields_behind_a_union_are_checked_for_each_member_a_subgraph_can_return() -> None:
    a = FED2 + "type Query { m: M }\nunion M = Book\ntype Book { title: String @shareable }"
    b = (
        FED2
        + "type Query { n: M }\nunion M = Book\ntype Book { title: String @shareable  isbn: String }"
    )
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["SATISFIABILITY_ERROR"]
    assert result.errors[0].message.splitlines()[1:8] == [
        "{",
        "  m {",
        "    ... on Book {",
        "      isbn",
        "    }",
        "  }",
        "}",
    ]


def test_a_shared_field_whose_subgraphs_return_no_common_runtime_type_is_refused() -> None:
    a = (
        FED2
        + "type Query { node: Node @shareable }\ninterface Node { id: ID! }\ntype User implements Node { id: ID! }"
    )
    b = (
        FED2
        + "type Query { node: Node @shareable }\ninterface Node { id: ID! }\ntype Org implements Node { id: ID! }"
    )
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES"]
    assert result.errors[0].message.splitlines()[-2:] == [
        ' - in subgraph "a", type "User";',
        ' - in subgraph "b", type "Org".',
    ]


def test_a_subgraph_resolving_an_interface_by_key_must_define_every_implementation() -> None:
    a = FED2 + (
        'type Query { node: Node }\ninterface Node @key(fields: "id") { id: ID! }\n'
        'type User implements Node @key(fields: "id") { id: ID! }'
    )
    b = FED2 + 'type Org implements Node @key(fields: "id") { id: ID! }\ninterface Node { id: ID! }'
    result = compose_inline(a=a, b=b)
    assert [str(e) for e in result.errors] == [
        '[INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE] [a] Interface type "Node" has a resolvable '
        'key (@key(fields: "id")) in subgraph "a" but that subgraph is missing some of the '
        'supergraph implementation types of "Node". Subgraph "a" should define type "Org" (and '
        'have it implement "Node").'
    ]


def test_a_provides_helps_only_the_paths_that_go_through_it() -> None:
    a = (
        FED2
        + """
    type Query { book: Book @provides(fields: "animals { ... on Dog { name } }") }
    type Book @key(fields: "id") { id: ID!  animals: [Animal] @shareable }
    interface Animal { id: ID! }
    type Dog implements Animal @key(fields: "id") { id: ID! @external  name: String @external }
    type Cat implements Animal @key(fields: "id") { id: ID! @external }
    """
    )
    c = (
        FED2
        + """
    type Dog @key(fields: "id") { id: ID!  name: String @shareable }
    type Cat @key(fields: "id") { id: ID! }
    """
    )
    result = compose_inline(a=a, c=c)
    assert codes(result) == ["SATISFIABILITY_ERROR", "SATISFIABILITY_ERROR"]
    assert ['"Dog.id"' in e.message or '"Cat.id"' in e.message for e in result.errors] == [
        True,
        True,
    ]


def test_an_interface_object_must_reach_a_subgraph_that_knows_the_implementations() -> None:
    owner = (
        FED2
        + """
    type Query { x: Int }
    interface Product @key(fields: "id", resolvable: false) { id: ID! }
    type Bread implements Product @key(fields: "id") { id: ID! }
    """
    )
    extender = (
        FED2
        + """
    type Query { product: Product }
    type Product @key(fields: "id") @interfaceObject { id: ID!  price: Int }
    """
    )
    result = compose_inline(a=extender, b=owner)
    assert codes(result) == ["SATISFIABILITY_ERROR"]
    assert result.errors[0].message.endswith(
        "no subgraph can be reached to resolve the implementation type of @interfaceObject "
        'type "Product".'
    )


def test_requires_conditions_must_be_fetchable_from_the_requiring_subgraph() -> None:
    # b took the key field over, so a can no longer leave by its key to fetch the price.
    a = (
        FED2
        + """
    type Product @key(fields: "upc") {
      upc: String!
      price: Int @external
      shipping: Int @requires(fields: "price")
    }
    """
    )
    b = (
        FED2
        + """
    type Query { products: [Product] }
    type Product @key(fields: "upc") { upc: String! @override(from: "a")  price: Int }
    """
    )
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["SATISFIABILITY_ERROR"]
    assert '"Product.shipping"' in result.errors[0].message
    assert compose_inline(a=a, b=b.replace(' @override(from: "a")', " @shareable")).errors == []
