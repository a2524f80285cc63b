"""@override moves a field to the overriding subgraph; the source keeps its entry only
while it still needs the field (usedOverridden) or during a progressive migration."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect

SOURCE = FED2 + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID!  v: String  w: Int }'
TAKER = FED2 + 'type T @key(fields: "id") { id: ID!  v: String @override(from: "a") }'


def test_an_overridden_field_the_source_does_not_use_is_resolved_by_the_taker_only() -> None:
    assert block(compose_inline(a=SOURCE, b=TAKER), "type T") == expect("""
        type T
          @join__type(graph: A, key: "id")
          @join__type(graph: B, key: "id")
        {
          id: ID!
          v: String @join__field(graph: B, override: "a")
          w: Int @join__field(graph: A)
        }""")


def test_an_overridden_field_the_source_still_uses_in_a_key_stays_marked_used() -> None:
    source = SOURCE.replace('@key(fields: "id")', '@key(fields: "id") @key(fields: "v")')
    result = compose_inline(a=source, b=TAKER)
    assert (
        "  v: String @join__field(graph: A, usedOverridden: true) "
        '@join__field(graph: B, override: "a")'
    ) in block(result, "type T")


def test_a_progressive_override_keeps_both_sides_labelled_and_links_join_v0_4() -> None:
    taker = TAKER.replace("v2.3", "v2.7").replace(
        '@override(from: "a")', '@override(from: "a", label: "percent(25)")'
    )
    result = compose_inline(a=SOURCE, b=taker)
    assert (
        '  v: String @join__field(graph: A, overrideLabel: "percent(25)") '
        '@join__field(graph: B, override: "a", overrideLabel: "percent(25)")'
    ) in block(result, "type T")
    assert '@link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)' in (
        result.supergraph_sdl or ""
    )
    assert "overrideLabel: String) repeatable on FIELD_DEFINITION" in (result.supergraph_sdl or "")


def test_overriding_from_ones_own_subgraph_is_refused() -> None:
    result = compose_inline(a=SOURCE, b=TAKER.replace('from: "a"', 'from: "b"'))
    assert codes(result) == ["OVERRIDE_FROM_SELF_ERROR"]


def test_overriding_from_an_unknown_subgraph_overrides_nothing() -> None:
    result = compose_inline(a=SOURCE, b=TAKER.replace('from: "a"', 'from: "zzz"'))
    assert codes(result) == ["INVALID_FIELD_SHARING"]
    assert [h.code for h in result.hints] == ["FROM_SUBGRAPH_DOES_NOT_EXIST"]
