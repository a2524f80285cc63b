"""Enums merge by use (output only: all values; input only: common values; both: must
agree); input objects keep the fields every subgraph has."""

from __future__ import annotations

from composition_support import FED2, block, codes, compose_inline, expect


def test_an_output_only_enum_gets_every_value_with_where_each_comes_from() -> None:
    a = FED2 + "type Query { k: K @shareable }\nenum K { A B }"
    b = FED2 + "type Query { k: K @shareable }\nenum K { A C }"
    assert block(compose_inline(a=a, b=b), "enum K") == expect("""
        enum K
          @join__type(graph: A)
          @join__type(graph: B)
        {
          A @join__enumValue(graph: A) @join__enumValue(graph: B)
          B @join__enumValue(graph: A)
          C @join__enumValue(graph: B)
        }""")


def test_an_input_only_enum_keeps_the_values_every_subgraph_has() -> None:
    a = FED2 + "type Query { q(k: K): Int @shareable }\nenum K { A B }"
    b = FED2 + "type Query { q(k: K): Int @shareable }\nenum K { A C }"
    result = compose_inline(a=a, b=b)
    assert block(result, "enum K") == expect("""
        enum K
          @join__type(graph: A)
          @join__type(graph: B)
        {
          A @join__enumValue(graph: A) @join__enumValue(graph: B)
        }""")
    assert [h.code for h in result.hints].count("INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM") == 2


def test_an_enum_used_both_ways_must_have_the_same_values_everywhere() -> None:
    a = FED2 + "type Query { k(x: K): K @shareable }\nenum K { A B }"
    b = FED2 + "type Query { k(x: K): K @shareable }\nenum K { A C }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["ENUM_VALUE_MISMATCH", "ENUM_VALUE_MISMATCH"]
    assert 'value "B" is not defined in all the subgraphs' in result.errors[0].message


def test_an_inaccessible_value_need_not_exist_everywhere_even_when_used_both_ways() -> None:
    a = FED2 + "type Query { k(x: K): K @shareable }\nenum K { REGULAR }"
    b = FED2 + "type Query { k(x: K): K @shareable }\nenum K { ANONYMOUS @inaccessible  REGULAR }"
    assert block(compose_inline(a=a, b=b), "enum K") == expect("""
        enum K
          @join__type(graph: A)
          @join__type(graph: B)
        {
          REGULAR @join__enumValue(graph: A) @join__enumValue(graph: B)
          ANONYMOUS @inaccessible @join__enumValue(graph: B)
        }""")


def test_an_input_enum_with_no_common_value_is_refused() -> None:
    a = FED2 + "type Query { q(k: K): Int @shareable }\nenum K { A }"
    b = FED2 + "type Query { q(k: K): Int @shareable }\nenum K { B }"
    assert codes(compose_inline(a=a, b=b)) == ["EMPTY_MERGED_ENUM_TYPE"]


def test_input_objects_keep_common_fields_with_the_stricter_type() -> None:
    a = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int!  b: String  c: Int }"
    b = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int  b: String }"
    result = compose_inline(a=a, b=b)
    assert block(result, "input F") == expect("""
        input F
          @join__type(graph: A)
          @join__type(graph: B)
        {
          a: Int! @join__field(graph: A, type: "Int!") @join__field(graph: B, type: "Int")
          b: String
        }""")
    assert "INCONSISTENT_INPUT_OBJECT_FIELD" in [h.code for h in result.hints]


def test_a_required_input_field_missing_in_another_subgraph_is_refused() -> None:
    a = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int!  b: Int }"
    b = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { b: Int }"
    result = compose_inline(a=a, b=b)
    assert codes(result) == ["REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"]
    assert '"F.a"' in result.errors[0].message


def test_an_input_object_with_no_common_field_is_refused() -> None:
    a = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { a: Int }"
    b = FED2 + "type Query { q(f: F): Int @shareable }\ninput F { b: Int }"
    assert codes(compose_inline(a=a, b=b)) == ["EMPTY_MERGED_INPUT_TYPE"]
