"""Representation and merge spec: (requires, object) -> representation; (tree, answer) -> tree."""

from __future__ import annotations

from gateway.executor.merge import deep_merge
from gateway.executor.representations import RequiresSelector, apply_rewrites
from gateway.planner.nodes import FieldSelection, InlineFragmentSelection, KeyRenamer, ValueSetter

ENTERPRISE_WITH_ADDRESS = (
    InlineFragmentSelection(
        "Enterprise",
        (
            FieldSelection("__typename"),
            FieldSelection("creditCode"),
            FieldSelection("county", (FieldSelection("code"),)),
            FieldSelection("owners", (FieldSelection("__typename"), FieldSelection("id"))),
        ),
    ),
)


def test_nested_requires_select_only_the_required_subfields_including_lists():
    obj = {
        "__typename": "Enterprise",
        "creditCode": "91211200MA0Q0000X1",
        "name": "铁岭商贸",
        "county": {"code": "211202", "name": "银州区"},
        "owners": [{"__typename": "Person", "id": "A", "name": "王伟"}, None],
    }

    representation = RequiresSelector(ENTERPRISE_WITH_ADDRESS, {}).select(obj)

    assert representation == {
        "__typename": "Enterprise",
        "creditCode": "91211200MA0Q0000X1",
        "county": {"code": "211202"},
        "owners": [{"__typename": "Person", "id": "A"}, None],
    }


def test_a_missing_nested_required_field_skips_the_object():
    obj = {
        "__typename": "Enterprise",
        "creditCode": "X",
        "county": {"name": "银州区"},
        "owners": [],
    }

    assert RequiresSelector(ENTERPRISE_WITH_ADDRESS, {}).select(obj) is None


def test_an_object_of_another_type_gets_no_representation():
    assert RequiresSelector(ENTERPRISE_WITH_ADDRESS, {}).select({"__typename": "Person"}) is None


def test_fragments_for_several_types_each_apply_to_their_own_type():
    requires = (
        InlineFragmentSelection(
            "Person", (FieldSelection("__typename"), FieldSelection("idNumber"))
        ),
        InlineFragmentSelection(
            "Enterprise", (FieldSelection("__typename"), FieldSelection("creditCode"))
        ),
    )
    selector = RequiresSelector(requires, {})

    assert selector.select({"__typename": "Enterprise", "creditCode": "C", "idNumber": "I"}) == {
        "__typename": "Enterprise",
        "creditCode": "C",
    }
    assert selector.select({"__typename": "Person", "creditCode": "C", "idNumber": "I"}) == {
        "__typename": "Person",
        "idNumber": "I",
    }


def test_rewrites_apply_only_under_their_type_condition_and_through_lists():
    entity = {
        "__typename": "Household",
        "members": [{"__typename": "Person", "n": "王伟"}, {"__typename": "Robot", "n": "R2"}],
    }

    apply_rewrites(
        entity,
        (
            KeyRenamer(("... on Household", "members", "... on Person", "n"), "name"),
            ValueSetter(("... on Robot", "__typename"), "Never"),
        ),
        {},
    )

    assert entity == {
        "__typename": "Household",
        "members": [{"__typename": "Person", "name": "王伟"}, {"__typename": "Robot", "n": "R2"}],
    }


def test_merge_combines_objects_key_by_key_and_lists_item_by_item():
    tree = {"h": {"members": [{"id": "A"}, {"id": "B"}], "number": "H"}}

    deep_merge(tree, {"h": {"members": [{"phone": "1"}, {"phone": None}], "kind": "FAMILY"}})

    assert tree == {
        "h": {
            "members": [{"id": "A", "phone": "1"}, {"id": "B", "phone": None}],
            "number": "H",
            "kind": "FAMILY",
        }
    }


def test_merge_keeps_a_value_when_another_subgraph_answers_null_for_it():
    tree = {"person": {"name": "王伟"}}

    deep_merge(tree, {"person": {"name": None}})

    assert tree == {"person": {"name": "王伟"}}
