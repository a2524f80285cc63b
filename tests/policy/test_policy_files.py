"""Spec: policy files are strict, conflicts are reported, and the set carries a version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from policy_support import HERE

from gateway.policy import load_policy_set
from gateway.policy.conditions import ConditionError, compile_condition, evaluate_condition

FIXTURE = HERE / "fixture_policies"


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(FIXTURE, target)
    return target


def test_the_fixture_set_loads_without_problems() -> None:
    policy = load_policy_set(FIXTURE)
    assert policy.problems == ()
    assert policy.field_rule("Person", "idNumber").mask == "id_number"
    assert policy.field_rule("Person", "gender").sharing == "conditional"  # the type default
    assert policy.field_rule("Parcel", "area").sharing == "not_shared"  # deny by default


def test_an_unknown_key_is_an_error_naming_the_file_and_place(policies: Path) -> None:
    (policies / "extra.yaml").write_text(
        "department: extra\ntypes:\n  Parcel:\n    fields:\n      area: {class: public, colour: red}\n"
    )
    problems = load_policy_set(policies).problems
    assert any("extra.yaml: types.Parcel.fields.area" in p and "colour" in p for p in problems)


def test_the_same_field_ruled_by_two_files_is_a_conflict(policies: Path) -> None:
    (policies / "extra.yaml").write_text(
        "department: extra\ntypes:\n  Person:\n    fields:\n      phone: unconditional\n"
    )
    problems = load_policy_set(policies).problems
    assert any("Person.phone is already ruled by" in p for p in problems)


def test_a_conditional_field_without_grants_is_reported(policies: Path) -> None:
    (policies / "extra.yaml").write_text(
        "department: extra\ntypes:\n  Parcel:\n    fields:\n      area: conditional\n"
    )
    assert any("conditional but no grants" in p for p in load_policy_set(policies).problems)


def test_the_version_changes_with_the_contents_and_only_with_them(policies: Path) -> None:
    first = load_policy_set(policies).version
    assert load_policy_set(policies).version == first
    (policies / "population.yaml").write_text(
        (policies / "population.yaml").read_text() + "\n# reviewed\n"
    )
    assert load_policy_set(policies).version != first


def test_a_missing_directory_denies_everything(tmp_path: Path) -> None:
    policy = load_policy_set(tmp_path / "nowhere")
    assert policy.deny_all
    assert policy.field_rule("Query", "divisions").sharing == "not_shared"


def test_conditions_compile_and_evaluate_with_three_values() -> None:
    condition = compile_condition(
        {"any": [{"a.b": {"equals_claim": "county"}}, {"c": {"in": ["x", "y"]}}]}
    )
    assert evaluate_condition(condition, {("a", "b"): "211221"}, {"county": 211221}) is True
    assert evaluate_condition(condition, {("c",): "z"}, {}) is None
    negated = compile_condition({"not": {"c": {"equals": "x"}}})
    assert evaluate_condition(negated, {}, {}) is None  # unknown stays unknown: denied


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"a": {"matches": ".*"}}, "unknown predicate"),
        ({"a; drop": {"equals": 1}}, "not a dotted field path"),
        ({"a": {"equals": [1]}}, "expected a string"),
        ({"all": []}, "non-empty list"),
        ({"a": {"equals_claim": "__import__('os')"}}, "claim name"),
    ],
)
def test_bad_conditions_are_refused_with_the_reason(raw: object, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        compile_condition(raw)


def test_the_check_refuses_rules_on_interface_fields(policies: Path) -> None:
    from policy_support import SCHEMA

    from gateway.policy.check import check_policy

    (policies / "extra.yaml").write_text(
        "department: extra\ntypes:\n  Node:\n    default: unconditional\n"
    )
    findings = [f.message for f in check_policy(load_policy_set(policies), SCHEMA)]
    assert any("Node is an interface" in f for f in findings)
