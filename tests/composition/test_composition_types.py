"""Field types merge the way Apollo merges them: outputs to the most general compatible
type, arguments and input fields to the most specific; anything else is refused."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect


def test_output_fields_take_the_nullable_type_and_each_subgraph_keeps_its_own() -> None:
    a = (
        FED2
        + 'type Query { t: T @shareable }\ntype T @key(fields: "id") { id: ID!  v: String! @shareable }'
    )
    b = (
        FED2
        + 'type Query { t: T @shareable }\ntype T @key(fields: "id") { id: ID!  v: String @shareable }'
    )
    result = compose_inline(a=a, b=b)
    assert block(result, "type T") == expect("""
        type T
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id")
        {
          id: ID!
          v: String @join__field(graph: A, type: "String!") @join__field(graph: B, type: "String")
        }""")
    assert [h.code for h in result.hints] == ["INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE"]


def test_an_object_in_one_subgraph_and_its_union_in_another_merge_to_the_union() -> None:
    a = (
        FED2
        + "type Query { media: Media @shareable }\nunion Media = Book\ntype Book { title: String @shareable }"
    )
    b = FED2 + "type Query { media: Book @shareable }\ntype Book { title: String @shareable }"
    result = compose_inline(a=a, b=b)
    assert (
        '  media: Media @join__field(graph: A, type: "Media") @join__field(graph: B, type: "Book")'
        in block(result, "type Query")
    )


def test_arguments_take_the_stricter_type_and_keep_the_shared_default() -> None:
    a = FED2 + "type Query { list(first: Int = 10, after: String): [Int] @shareable }"
    b = FED2 + "type Query { list(first: Int! = 10, after: String): [Int] @shareable }"
    result = compose_inline(a=a, b=b)
    assert block(result, "type Query") == expect("""
        type Query
          @join__type(graph: A)
          @join__type(graph: B)
        {
          list(first: Int! = 10, after: String): [Int]
        }""")


def test_an_argument_missing_somewhere_is_dropped_unless_some_subgraph_requires_it() -> None:
    a = FED2 + "type Query { q(x: Int, y: Int!): Int @shareable }"
    b = FED2 + "type Query { q: Int @shareable }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"]
    assert result.errors[0].message == (
        'Argument "Query.q(y:)" is required in some subgraphs but does not appear in all '
        'subgraphs: it is required in subgraph "a" but does not appear in subgraph "b"'
    )
    optional_only = compose_inline(a=a.replace(", y: Int!", ""), b=b)
    assert "  q: Int" in block(optional_only, "type Query")
    assert "INCONSISTENT_ARGUMENT_PRESENCE" in [h.code for h in optional_only.hints]


def test_incompatible_types_are_refused_naming_field_subgraphs_and_types() -> None:
    a = FED2 + "type Query { x: Int @shareable  l: [String] @shareable }"
    b = FED2 + "type Query { x: String @shareable  l: String @shareable }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["FIELD_TYPE_MISMATCH", "FIELD_TYPE_MISMATCH"]
    assert result.errors[0].message == (
        'Type of field "Query.x" is incompatible across subgraphs: it has type "Int" in '
        'subgraph "a" but type "String" in subgraph "b"'
    )


def test_conflicting_argument_defaults_are_refused() -> None:
    a = FED2 + "type Query { q(n: Int = 1): Int @shareable }"
    b = FED2 + "type Query { q(n: Int = 2): Int @shareable }"
    assert codes(compose_inline(a=a, b=b)) == ["FIELD_ARGUMENT_DEFAULT_MISMATCH"]


def test_a_type_declared_as_two_kinds_is_refused() -> None:
    a = FED2 + "type Query { t: T @shareable }\ntype T { x: Int }"
    b = FED2 + "type Query { t: T @shareable }\ninterface T { x: Int }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["TYPE_KIND_MISMATCH"]
    assert 'object in subgraph "a"' in result.errors[0].message
