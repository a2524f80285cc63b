"""@key, @requires and @provides: field sets that parse and name real fields, carried into
@join__type/@join__field as written; Federation 2 wants the fields they borrow @external."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect

KEYS = (
    FED2
    + """
type Query { t: T }
type T @key(fields: "id") @key(fields: "org { id } number") { id: ID!  number: Int!  org: Org! }
type Org @key(fields: "id") { id: ID! }
"""
)


def test_every_key_of_every_subgraph_becomes_a_join_type_with_its_flags() -> None:
    reference_only = FED2 + 'type T @key(fields: "id", resolvable: false) { id: ID! }'
    extension = FED2 + 'extend type T @key(fields: "id") { id: ID! @external  size: Int }'
    result = compose_inline(a=KEYS, b=reference_only, c=extension)
    assert block(result, "type T") == expect("""
        type T
          @join__type(graph: A, key: "id")
          @join__type(graph: A, key: "org { id } number")
          @join__type(graph: B, key: "id", resolvable: false)
          @join__type(graph: C, key: "id", extension: true)
        {
          id: ID!
          number: Int! @join__field(graph: A)
          org: Org! @join__field(graph: A)
          size: Int @join__field(graph: C)
        }""")


def test_key_field_sets_that_do_not_parse_or_name_unknown_fields_are_refused() -> None:
    sdl = (
        FED2
        + """
    type Query { t: T }
    type T @key(fields: "nope") { id: ID! }
    type U @key(fields: "id {") { id: ID! }
    type V @key(fields: "m") { m(x: Int): Int }
    """
    )
    result = compose_inline(a=sdl)
    assert [str(e) for e in result.errors] == [
        '[KEY_INVALID_FIELDS] [a] on type "T", the @key(fields: ...) "nope": cannot query '
        'field "nope" on type "T"',
        '[KEY_INVALID_FIELDS] [a] on type "U", the @key(fields: ...) "id {" does not parse: '
        "Syntax Error: Expected Name, found '}'.",
        '[KEY_FIELDS_HAS_ARGS] [a] on type "V", the @key field "V.m" has arguments',
    ]


BORROWER = (
    FED2
    + """
type Query { t: T }
type T @key(fields: "id") {
  id: ID!
  weight: Int @external
  price: Int @external
  ship: Int @requires(fields: "weight price")
  u: U @provides(fields: "name")
}
type U @key(fields: "id") { id: ID!  name: String @external }
"""
)
OWNER = (
    FED2
    + """
type T @key(fields: "id") { id: ID!  weight: Int  price: Int }
type U @key(fields: "id") { id: ID!  name: String @shareable }
"""
)


def test_requires_and_provides_are_carried_to_join_field_with_the_external_fields() -> None:
    result = compose_inline(a=BORROWER, b=OWNER)
    assert block(result, "type T") == expect("""
        type T
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id")
        {
          id: ID!
          weight: Int @join__field(graph: A, external: true) @join__field(graph: B)
          price: Int @join__field(graph: A, external: true) @join__field(graph: B)
          ship: Int @join__field(graph: A, requires: "weight price")
          u: U @join__field(graph: A, provides: "name")
        }""")


def test_a_requires_naming_an_unknown_field_is_refused_and_the_unused_externals_too() -> None:
    broken = BORROWER.replace('@requires(fields: "weight price")', '@requires(fields: "missing")')
    result = compose_inline(a=broken, b=OWNER)
    assert codes(result) == ["EXTERNAL_UNUSED", "EXTERNAL_UNUSED", "REQUIRES_INVALID_FIELDS"]
    assert result.errors[0].message == (
        '[a] on field "T.ship", the @requires(fields: ...) "missing": cannot query field '
        '"missing" on type "T"'
    )


def test_a_requires_that_does_not_parse_is_refused() -> None:
    broken = BORROWER.replace('"weight price"', '"weight {"')
    assert "REQUIRES_INVALID_FIELDS" in codes(compose_inline(a=broken, b=OWNER))


def test_federation_2_refuses_requires_or_provides_of_fields_the_subgraph_resolves() -> None:
    requires_own = BORROWER.replace('"weight price"', '"weight price id"')
    assert codes(compose_inline(a=requires_own, b=OWNER)) == ["REQUIRES_FIELDS_MISSING_EXTERNAL"]
    provides_key = BORROWER.replace('@provides(fields: "name")', '@provides(fields: "id name")')
    assert codes(compose_inline(a=provides_key, b=OWNER)) == ["PROVIDES_FIELDS_MISSING_EXTERNAL"]


def test_provides_on_a_field_of_scalar_type_is_refused() -> None:
    broken = BORROWER.replace("u: U @provides", "u: Int @provides")
    assert "PROVIDES_ON_NON_OBJECT_FIELD" in codes(compose_inline(a=broken, b=OWNER))


def test_an_external_field_nothing_uses_is_refused_in_federation_2() -> None:
    unused = BORROWER.replace(' @provides(fields: "name")', "")
    result = compose_inline(a=unused, b=OWNER)
    assert codes(result) == ["EXTERNAL_UNUSED"]
    assert '"U.name"' in result.errors[0].message


def test_a_field_external_in_every_subgraph_is_refused() -> None:
    a = (
        FED2
        + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  v: Int @external  w: Int @requires(fields: "v") }'
    )
    b = (
        FED2
        + 'type T @key(fields: "id") { id: ID!  v: Int @external  x: Int @requires(fields: "v") }'
    )
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["EXTERNAL_MISSING_ON_BASE"]
    assert result.errors[0].message == (
        'Field "T.v" is marked @external on all the subgraphs in which it is listed '
        '(subgraphs "a" and "b").'
    )
