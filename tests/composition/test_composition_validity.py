"""Each subgraph must be a valid schema on its own, and so must the merge: unknown or
twice-defined types, implementations missing a merged interface field, and conflicting
defaults are refused with Apollo's codes and wording."""

from __future__ import annotations

from composition_support import FED2, codes, compose_inline


def test_a_reference_to_an_undefined_type_names_the_subgraph_and_the_type() -> None:
    result = compose_inline(a=FED2 + "type Query { q: Missing }")
    assert [str(e) for e in result.errors] == ["[INVALID_GRAPHQL] [a] Unknown type Missing"]


def test_a_type_defined_twice_in_one_subgraph_is_refused() -> None:
    result = compose_inline(a=FED2 + "type Query { q: Int }\ntype Query { r: Int }")
    assert [str(e) for e in result.errors] == [
        '[INVALID_GRAPHQL] [a] There can be only one type named "Query"'
    ]


def test_an_implementation_lacking_a_field_its_interface_gets_elsewhere_is_refused() -> None:
    a = (
        FED2
        + "type Query { i: I }\ninterface I { a: Int  b: Int }\ntype T implements I @shareable { a: Int  b: Int }"
    )
    b = FED2 + "type Query { j: I }\ninterface I { a: Int }\ntype U implements I { a: Int }"
    result = compose_inline(a=a, b=b)
    assert [str(e) for e in result.errors] == [
        '[INTERFACE_FIELD_NO_IMPLEM] Interface field "I.b" is declared in subgraph "a" but type '
        '"U", which implements "I" only in subgraph "b" does not have field "b".'
    ]


def test_conflicting_input_field_defaults_are_refused_naming_each_value() -> None:
    a = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int = 1 }"
    b = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int = 2 }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["INPUT_FIELD_DEFAULT_MISMATCH"]
    assert result.errors[0].message == (
        'Input field "F.a" has incompatible default values across subgraphs: it has default '
        'value 1 in subgraph "a" but default value 2 in subgraph "b"'
    )


def test_an_external_field_must_have_a_compatible_type() -> None:
    a = (
        FED2
        + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  w: String @external  v: Int @requires(fields: "w") }'
    )
    b = FED2 + 'type T @key(fields: "id") { id: ID!  w: Int }'
    assert codes(compose_inline(a=a, b=b)) == ["EXTERNAL_TYPE_MISMATCH"]


def test_types_without_fields_values_or_members_are_refused() -> None:
    result = compose_inline(a=FED2 + "type Query { a: Int }\ntype E\nenum En\nunion U")
    assert [str(e) for e in result.errors] == [
        "[INVALID_GRAPHQL] [a] Type E must define one or more fields.",
        "[INVALID_GRAPHQL] [a] Enum type En must define one or more values.",
        "[INVALID_GRAPHQL] [a] Union type U must define one or more member types.",
    ]


def test_a_supergraph_without_any_query_field_is_refused() -> None:
    result = compose_inline(a=FED2 + 'type T @key(fields: "id") { id: ID! }')
    assert codes(result) == ["NO_QUERIES"]


def test_an_implementation_whose_merged_type_is_wider_than_its_interfaces_is_refused() -> None:
    a = (
        FED2
        + 'type Query { i: I }\ninterface I { id: ID! }\ntype T implements I @key(fields: "id") { id: ID! }'
    )
    b = FED2 + 'type T @key(fields: "id") { id: ID }'
    result = compose_inline(a=a, b=b)
    assert [str(e) for e in result.errors] == [
        "[INVALID_GRAPHQL] Interface field I.id expects type ID! but T.id of type ID is not a "
        "proper subtype."
    ]


def test_an_object_missing_a_field_of_its_own_interface_is_refused_by_graphql_rules() -> None:
    sdl = (
        FED2
        + "type Query { n: Node }\ninterface Node { id: ID! }\ntype Oven implements Node { heat: Int }"
    )
    result = compose_inline(b=sdl)
    assert [str(e) for e in result.errors] == [
        "[INVALID_GRAPHQL] [b] Interface field Node.id expected but Oven does not provide it."
    ]


def test_a_federation_2_directive_in_a_federation_1_subgraph_is_unknown() -> None:
    result = compose_inline(old="type Query { a: Int @shareable }")
    assert [str(e) for e in result.errors] == [
        '[INVALID_GRAPHQL] [old] Unknown directive "@shareable". If you meant the "@shareable" '
        "federation 2 directive, note that this schema is a federation 1 schema. To be a "
        "federation 2 schema, it needs to @link to the federation specifcation v2."
    ]


def test_linking_federation_twice_or_importing_unknown_elements_is_refused() -> None:
    twice = FED2 + FED2 + "type Query { a: Int }"
    assert codes(compose_inline(a=twice)) == ["INVALID_LINK_DIRECTIVE_USAGE"]
    unknown = FED2.replace('"@key"', '"@key", "@nope", "FieldSet"') + "type Query { a: Int }"
    assert [str(e) for e in compose_inline(a=unknown).errors] == [
        '[INVALID_LINK_DIRECTIVE_USAGE] [a] Cannot import unknown element "@nope".'
    ]


def test_an_extension_whose_type_is_defined_nowhere_is_refused() -> None:
    a = FED2 + 'extend type Query { u: User }\nextend type User @key(fields: "id") { id: ID! }'
    result = compose_inline(a=a)
    assert [str(e) for e in result.errors] == [
        '[EXTENSION_WITH_NO_BASE] [a] Type "User" is an extension type, but there is no type '
        'definition for "User" in any subgraph.'
    ]


def test_federation_directives_with_unknown_or_missing_arguments_are_refused() -> None:
    a = FED2 + 'type Query { t: T }\ntype T @key(fieldz: "id") { id: ID! }'
    assert [str(e) for e in compose_inline(a=a).errors] == [
        '[INVALID_GRAPHQL] [a] Unknown argument "fieldz" on directive "@key".',
        '[INVALID_GRAPHQL] [a] Directive "@key" argument "fields" is required, but it was not '
        "provided.",
    ]


def test_a_field_set_passing_an_argument_the_field_lacks_is_refused() -> None:
    a = FED2 + (
        'type Query { p: P }\ntype P @key(fields: "id") { id: ID!  price: Int @external\n'
        '  ship: Int @requires(fields: "price(currency: \\"EUR\\")") }'
    )
    b = FED2 + 'type P @key(fields: "id") { id: ID!  price: Int }'
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["EXTERNAL_UNUSED", "REQUIRES_INVALID_FIELDS"]
    assert 'unknown argument "currency" found in value: "P.price" has no argument named' in (
        result.errors[0].message
    )


def test_an_external_declaration_must_repeat_the_real_field_type_exactly() -> None:
    a = (
        FED2
        + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  w: Int @external  v: Int @requires(fields: "w") }'
    )
    b = FED2 + 'type T @key(fields: "id") { id: ID!  w: Int! }'
    result = compose_inline(a=a, b=b)
    assert [str(e) for e in result.errors] == [
        '[EXTERNAL_TYPE_MISMATCH] Type of field "T.w" is incompatible across subgraphs (where '
        'marked @external): it has type "Int" in subgraph "a" but type "Int!" in subgraph "b"'
    ]
    narrower = compose_inline(a=a, b=b.replace("w: Int!", "w: Int"))
    assert narrower.errors == []
    stricter = compose_inline(
        a=a.replace("w: Int @external", "w: Int! @external"), b=b.replace("w: Int!", "w: Int")
    )
    assert codes(stricter) == ["EXTERNAL_TYPE_MISMATCH"]
