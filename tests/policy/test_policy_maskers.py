"""Spec: how masked values look to a caller without the grant for the full value."""

from __future__ import annotations

import pytest

from gateway.policy.maskers import mask_value


@pytest.mark.parametrize(
    ("masker", "value", "shown"),
    [
        ("id_number", "211202199001011234", "211202********1234"),
        ("id_number", "21120219900101123X", "211202********123X"),
        ("id_number", "1234", "****"),
        ("phone", "13812345678", "138****5678"),
        ("phone", "024-7282123", "024****2123"),
        ("phone", "12345", "*****"),
        ("name", "张三", "张*"),
        ("name", "欧阳明月", "欧***"),
        ("name", "张", "*"),
        ("address", "辽宁省铁岭市银州区红旗街12号", "辽宁省铁岭市银州区****"),
        ("address", "铁岭县腰堡镇", "铁岭县****"),
        ("address", "辽宁省铁岭市开原市新城街5号", "辽宁省铁岭市开原市****"),
        ("address", "红旗街十二号院", "红旗****"),
        ("address", "红旗街", "****"),
        ("redact", "anything at all", "****"),
    ],
)
def test_a_masker_keeps_only_what_counter_staff_may_see(
    masker: str, value: str, shown: str
) -> None:
    assert mask_value(masker, value) == shown


def test_lists_are_masked_element_by_element_and_nulls_stay_null() -> None:
    assert mask_value("phone", ["13812345678", None]) == ["138****5678", None]
    assert mask_value("phone", None) is None


def test_a_value_that_is_not_text_is_withheld() -> None:
    assert mask_value("id_number", 211202199001011234) is None
    assert mask_value("name", {"first": "张"}) is None
