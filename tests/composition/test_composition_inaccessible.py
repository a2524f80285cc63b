"""@inaccessible hides elements from clients, so what remains (the API schema) must still
be valid: a visible query root, no visible reference to a hidden type, no visible type
with only hidden fields; hidden elements need not exist in every subgraph."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect


def test_a_hidden_query_root_is_refused() -> None:
    result = compose_inline(a=FED2 + "type Query @inaccessible { a: Int }")
    assert [str(e) for e in result.errors] == [
        '[QUERY_ROOT_TYPE_INACCESSIBLE] Type "Query" is @inaccessible but is the root query '
        "type, which must be in the API schema."
    ]


def test_a_visible_field_of_a_hidden_type_is_refused() -> None:
    result = compose_inline(a=FED2 + "type Query { t: T }\ntype T @inaccessible { x: Int }")
    assert [str(e) for e in result.errors] == [
        '[REFERENCED_INACCESSIBLE] Type "T" is @inaccessible but is referenced by "Query.t", '
        "which is in the API schema."
    ]
    hidden_too = compose_inline(
        a=FED2 + "type Query { a: Int  t: T @inaccessible }\ntype T @inaccessible { x: Int }"
    )
    assert hidden_too.errors == []


def test_a_visible_type_whose_fields_are_all_hidden_is_refused() -> None:
    result = compose_inline(
        a=FED2 + "type Query { a: Address }\ntype Address { x: Int @inaccessible }"
    )
    assert codes(result) == ["ONLY_INACCESSIBLE_CHILDREN"]
    assert result.errors[0].message == (
        'Type "Address" is in the API schema but all of its fields are @inaccessible.'
    )


def test_a_hidden_input_field_may_exist_in_one_subgraph_only() -> None:
    a = FED2 + "type Query { u(f: UsersFilter): Int @shareable }\ninput UsersFilter { first: Int! }"
    b = (
        FED2
        + "type Query { u(f: UsersFilter): Int @shareable }\ninput UsersFilter { offset: Int @inaccessible  first: Int! }"
    )
    assert block(compose_inline(a=a, b=b), "input UsersFilter") == expect("""
        input UsersFilter
          @join__type(graph: A)
          @join__type(graph: B)
        {
          first: Int!
          offset: Int @inaccessible @join__field(graph: B)
        }""")


def test_merged_directives_may_not_decorate_an_external_field() -> None:
    a = (
        FED2
        + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  w: Int @external @tag(name: "x")  v: Int @requires(fields: "w") }'
    )
    b = FED2 + 'type T @key(fields: "id") { id: ID!  w: Int }'
    result = compose_inline(a=a, b=b)
    assert [str(e) for e in result.errors] == [
        "[MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL] [a] Cannot apply merged directive "
        '@tag(name: "x") to external field "T.w"'
    ]
