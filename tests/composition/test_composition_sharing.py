"""A field resolved by more than one subgraph must be @shareable in each (key fields,
@provides-ed fields and Federation 1 subgraphs are shareable by nature)."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect, sdl_of


def test_a_non_shareable_field_in_two_subgraphs_is_refused_naming_both() -> None:
    a = FED2 + 'type Query { x: Int }\ntype T @key(fields: "id") { id: ID!  v: String }'
    b = FED2 + 'type T @key(fields: "id") { id: ID!  v: String }'
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["INVALID_FIELD_SHARING"]
    assert result.errors[0].message == (
        'Non-shareable field "T.v" is resolved from multiple subgraphs: it is resolved from '
        'subgraphs "a" and "b" and defined as non-shareable in all of them'
    )


def test_shareable_on_one_side_only_is_still_refused_and_the_other_side_is_named() -> None:
    a = FED2 + 'type Query { x: Int }\ntype T @key(fields: "id") { id: ID!  v: String @shareable }'
    b = FED2 + 'type T @key(fields: "id") { id: ID!  v: String }'
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["INVALID_FIELD_SHARING"]
    assert 'defined as non-shareable in subgraph "b"' in result.errors[0].message


def test_shareable_fields_and_key_fields_may_be_resolved_everywhere() -> None:
    a = (
        FED2
        + 'type Query { t: T @shareable }\ntype T @key(fields: "id") { id: ID!  v: String @shareable }'
    )
    b = (
        FED2
        + 'type Query { t: T @shareable }\ntype T @key(fields: "id") @shareable { id: ID!  v: String }'
    )
    result = compose_inline(a=a, b=b)
    assert block(result, "type T") == expect("""
        type T
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id")
        {
          id: ID!
          v: String
        }""")


def test_a_provided_field_counts_as_resolved_so_its_owner_must_share_it() -> None:
    owner = FED2 + 'type Query { x: Int }\ntype U @key(fields: "id") { id: ID!  name: String }'
    provider = FED2 + (
        'type Query { u: U @provides(fields: "name") }\n'
        'type U @key(fields: "id") { id: ID!  name: String @external }'
    )
    assert codes(compose_inline(owner=owner, provider=provider)) == ["INVALID_FIELD_SHARING"]
    shared = owner.replace("name: String }", "name: String @shareable }")
    result = compose_inline(owner=shared, provider=provider)
    assert block(result, "type U") == expect("""
        type U
          @join__type(graph: OWNER, key: "id")
          @join__type(graph: PROVIDER, key: "id")
        {
          id: ID!
          name: String @join__field(graph: OWNER) @join__field(graph: PROVIDER, external: true)
        }""")


def test_value_types_of_federation_1_subgraphs_are_shareable_without_saying_so() -> None:
    p = "type Query { a: Money }\ntype Money { amount: Float!  currency: String! }"
    q = "type Query { b: Money }\ntype Money { amount: Float!  currency: String! }"
    result = compose_inline(p=p, q=q)
    assert block(result, "type Money") == expect("""
        type Money
          @join__type(graph: P)
          @join__type(graph: Q)
        {
          amount: Float!
          currency: String!
        }""")
    assert '@link(url: "https://specs.apollo.dev/join/v0.3"' in sdl_of(result)
