"""Response shaping spec: (operation, variables, merged raw data, errors in) -> (data, errors out).

Template::

    def test_<sentence>():
        data, errors = shape("{ person(idNumber: 1) { name } }", raw={...})
        assert data == {...}
        assert errors == [...]
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema, parse

from gateway.executor.shape import compile_shape

SCHEMA = build_schema(
    """
    enum Gender { MALE FEMALE }
    interface Owner { id: ID! }
    type Person implements Owner {
      id: ID! name: String! gender: Gender phone: String household: Household
      marriages: [Marriage!]! tags: [String!] nicknames: [String] genders: [Gender]
    }
    type Enterprise implements Owner { id: ID! name: String! licence: String }
    type Household { number: ID! members: [Person!]! head: Person }
    type Marriage { kind: String! partner: Person }
    type Property { id: ID! owners: [Ownership!]! }
    type Ownership { share: String! owner: PropertyOwner }
    union PropertyOwner = Person | Enterprise
    type Query {
      person(id: ID!): Person
      household(id: ID!): Household!
      owner(id: ID!): Owner
      property(id: ID!): Property
      grid: [[Person]]
      holders: [Owner!]
      anyOwner: PropertyOwner!
    }
    type Mutation { updatePhone(id: ID!, phone: String!): Person! }
    """
)


def shape(
    query: str,
    raw: dict[str, Any] | None,
    variables: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    operation_name: str | None = None,
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    errors = list(errors or [])
    compiled = compile_shape(SCHEMA, parse(query), operation_name)
    return compiled.project(raw, variables or {}, errors), errors


def test_aliases_select_their_own_keys_and_planner_added_fields_are_dropped():
    raw = {
        "p": {"__typename": "Person", "id": "A", "n": "王伟", "gender": "MALE", "_key0": "x"},
    }

    data, errors = shape("{ p: person(id: 1) { n: name gender } }", raw)

    assert data == {"p": {"n": "王伟", "gender": "MALE"}}
    assert errors == []


def test_typename_is_filled_from_the_runtime_type_including_the_root():
    raw = {"person": {"__typename": "Person", "id": "A"}}

    data, _ = shape("{ __typename person(id: 1) { __typename t: __typename id } }", raw)

    assert data == {
        "__typename": "Query",
        "person": {"__typename": "Person", "t": "Person", "id": "A"},
    }


def test_typename_at_the_mutation_root_is_mutation():
    data, _ = shape(
        "mutation { __typename updatePhone(id: 1, phone: 2) { id } }",
        {"updatePhone": {"id": "A"}},
    )

    assert data == {"__typename": "Mutation", "updatePhone": {"id": "A"}}


def test_fragments_on_an_interface_apply_by_runtime_type():
    query = """
      { owner(id: 1) { __typename id ... on Person { name gender } ...E } }
      fragment E on Enterprise { name licence }
    """
    person = {"owner": {"__typename": "Person", "id": "A", "name": "王伟", "gender": "MALE"}}
    enterprise = {
        "owner": {"__typename": "Enterprise", "id": "E", "name": "铁岭商贸", "licence": None}
    }

    assert shape(query, person)[0] == {
        "owner": {"__typename": "Person", "id": "A", "name": "王伟", "gender": "MALE"}
    }
    assert shape(query, enterprise)[0] == {
        "owner": {"__typename": "Enterprise", "id": "E", "name": "铁岭商贸", "licence": None}
    }


def test_fragments_on_a_union_inside_lists_apply_per_item():
    query = """{ property(id: 1) { owners { share owner {
        ... on Person { name } ... on Enterprise { licence } } } } }"""
    raw = {
        "property": {
            "owners": [
                {"share": "1/2", "owner": {"__typename": "Person", "name": "王伟", "id": "A"}},
                {
                    "share": "1/2",
                    "owner": {"__typename": "Enterprise", "licence": "L", "name": "X"},
                },
            ]
        }
    }

    data, _ = shape(query, raw)

    assert data == {
        "property": {
            "owners": [
                {"share": "1/2", "owner": {"name": "王伟"}},
                {"share": "1/2", "owner": {"licence": "L"}},
            ]
        }
    }


def test_an_object_of_a_type_the_api_does_not_know_is_null_at_a_nullable_position():
    # e.g. a subgraph's @inaccessible type implementing the interface
    raw = {"owner": {"__typename": "Robot", "id": "R"}}

    data, errors = shape("{ owner(id: 1) { __typename id } }", raw)

    assert data == {"owner": None}
    assert errors == []


def test_an_object_of_a_type_the_api_does_not_know_nulls_the_parent_of_a_non_null_position():
    raw = {
        "holders": [{"__typename": "Person", "id": "A"}, {"__typename": "Robot", "id": "R"}],
        "anyOwner": {"__typename": "Robot"},
    }

    assert shape("{ holders { id } }", raw) == (
        {"holders": None},
        [{"message": "Cannot return null for a non-null list item.", "path": ["holders", 1]}],
    )
    assert shape("{ anyOwner { __typename } }", raw) == (
        None,
        [
            {
                "message": "Cannot return null for non-nullable field Query.anyOwner.",
                "path": ["anyOwner"],
            }
        ],
    )


def test_the_same_key_selected_twice_merges_its_subselections():
    query = (
        "{ person(id: 1) { household { number } ... on Person { household { head { name } } } } }"
    )
    raw = {"person": {"household": {"number": "H", "head": {"name": "王伟", "id": "A"}}}}

    assert shape(query, raw)[0] == {
        "person": {"household": {"number": "H", "head": {"name": "王伟"}}}
    }


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"withPhone": True, "noName": False}, {"name": "王伟", "phone": "138"}),
        ({"withPhone": False, "noName": True}, {}),
        ({}, {"name": "王伟"}),
    ],
)
def test_skip_and_include_follow_the_variables(variables, expected):
    query = """query($withPhone: Boolean = false, $noName: Boolean!) {
      person(id: 1) { name @skip(if: $noName) phone @include(if: $withPhone) id @skip(if: true) } }"""
    raw = {"person": {"id": "A", "name": "王伟", "phone": "138"}}

    assert shape(query, raw, variables)[0] == {"person": expected}


def test_a_missing_nullable_value_is_null():
    data, errors = shape("{ person(id: 1) { phone household { number } } }", {"person": {}})

    assert data == {"person": {"phone": None, "household": None}}
    assert errors == []


def test_a_null_non_null_field_nulls_the_nearest_nullable_parent_with_an_error():
    raw = {"person": {"name": None, "phone": "138"}}

    data, errors = shape("{ person(id: 1) { phone name } }", raw)

    assert data == {"person": None}
    assert errors == [
        {
            "message": "Cannot return null for non-nullable field Person.name.",
            "path": ["person", "name"],
        }
    ]


def test_null_propagates_through_non_null_list_items_up_to_the_root():
    raw = {"household": {"number": "H", "members": [{"name": "王伟"}, {"name": None}]}}

    data, errors = shape("{ household(id: 1) { number members { name } } }", raw)

    assert data is None
    assert errors == [
        {
            "message": "Cannot return null for non-nullable field Person.name.",
            "path": ["household", "members", 1, "name"],
        }
    ]


def test_a_null_object_in_a_non_null_object_list_nulls_the_nearest_nullable_parent():
    raw = {"person": {"name": "王伟", "marriages": [{"kind": "MARRIAGE"}, None]}}

    data, errors = shape("{ person(id: 1) { name marriages { kind } } }", raw)

    assert data == {"person": None}
    assert errors == [
        {
            "message": "Cannot return null for a non-null list item.",
            "path": ["person", "marriages", 1],
        }
    ]


def test_a_string_in_an_object_list_is_an_error_and_null_in_a_nullable_list():
    raw = {"grid": [[{"name": "王伟"}, "oops"]]}

    data, errors = shape("{ grid { name } }", raw)

    assert data == {"grid": [[{"name": "王伟"}, None]]}
    assert errors == [{"message": "Expected an object for Person.", "path": ["grid", 0, 1]}]


def test_a_null_in_a_nullable_nested_list_stays_null():
    raw = {"grid": [[{"name": "王伟"}, None], None]}

    assert shape("{ grid { name } }", raw)[0] == {"grid": [[{"name": "王伟"}, None], None]}


def test_a_null_item_in_a_non_null_scalar_list_nulls_the_list_field():
    data, errors = shape(
        "{ person(id: 1) { tags nicknames } }",
        {"person": {"tags": ["a", None], "nicknames": ["b", None]}},
    )

    assert data == {"person": {"tags": None, "nicknames": ["b", None]}}
    assert errors == [
        {"message": "Cannot return null for a non-null list item.", "path": ["person", "tags", 1]}
    ]


def test_no_null_error_is_added_where_a_subgraph_error_already_covers_the_path():
    failed = {
        "message": "subgraph 'civil_affairs' is unavailable",
        "path": ["household", "members", 0],
        "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "civil_affairs"},
    }
    raw = {"household": {"members": [{"name": "王伟"}]}}

    data, errors = shape(
        "{ household(id: 1) { members { name marriages { kind } } } }", raw, errors=[failed]
    )

    assert data is None
    assert errors == [failed]


def test_an_error_below_the_null_also_covers_it():
    denied = {
        "message": "not authorized",
        "path": ["person", "name"],
        "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
    }

    data, errors = shape("{ person(id: 1) { name } }", {"person": {}}, errors=[denied])

    assert data == {"person": None}
    assert errors == [denied]


def test_an_enum_value_the_api_does_not_know_becomes_null_with_an_error():
    raw = {"person": {"gender": "UNDISCLOSED", "name": "王伟"}}

    data, errors = shape("{ person(id: 1) { name gender } }", raw)

    assert data == {"person": {"name": "王伟", "gender": None}}
    assert errors == [
        {
            "message": "Enum Gender has no value 'UNDISCLOSED' in this API.",
            "path": ["person", "gender"],
        }
    ]


@pytest.mark.parametrize("bad", [["MALE"], {"v": "MALE"}, 1])
def test_a_non_string_where_an_enum_was_expected_is_null_with_an_error(bad):
    data, errors = shape("{ person(id: 1) { gender } }", {"person": {"gender": bad}})

    assert data == {"person": {"gender": None}}
    assert errors[0]["path"] == ["person", "gender"]


def test_enum_lists_are_checked_item_by_item():
    raw = {"person": {"genders": ["MALE", "OTHER", None]}}

    data, errors = shape("{ person(id: 1) { genders } }", raw)

    assert data == {"person": {"genders": ["MALE", None, None]}}
    assert errors == [
        {
            "message": "Enum Gender has no value 'OTHER' in this API.",
            "path": ["person", "genders", 1],
        }
    ]


def test_a_string_where_an_object_was_expected_is_an_error_not_a_crash():
    data, errors = shape(
        "{ person(id: 1) { household { number } } }", {"person": {"household": "oops"}}
    )

    assert data == {"person": {"household": None}}
    assert errors == [
        {"message": "Expected an object for Household.", "path": ["person", "household"]}
    ]


def test_introspection_fields_pass_through_when_present_and_are_left_out_when_absent():
    query = (
        '{ __schema { queryType { name } } __type(name: "Person") { name } person(id: 1) { name } }'
    )
    schema_answer = {"queryType": {"name": "Query"}}

    assert shape(query, {"__schema": schema_answer, "person": None})[0] == {
        "__schema": schema_answer,
        "person": None,
    }
    assert shape(query, {"person": None})[0] == {"person": None}


def test_no_raw_data_projects_to_null():
    assert shape("{ person(id: 1) { name } }", None) == (None, [])


def test_the_named_operation_is_the_one_shaped():
    query = "query A { person(id: 1) { name } } query B { person(id: 1) { phone } }"
    raw = {"person": {"name": "王伟", "phone": "138"}}

    assert shape(query, raw, operation_name="B")[0] == {"person": {"phone": "138"}}
    with pytest.raises(ValueError, match="no operation named 'C'"):
        shape(query, raw, operation_name="C")
