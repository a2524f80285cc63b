"""Saying where a gateway's answer first differs from the audit's expectation."""

from audit_diff import first_difference, normalise

__all__: list[str] = []


def test_node_s_numbered_maps_turn_back_into_lists():
    assert normalise({"a": {0: "x", 1: "y"}}) == {"a": ["x", "y"]}


def test_a_list_of_the_wrong_length_reports_both_lengths_at_its_path():
    expected = {"data": {"feed": {0: {"comments": {0: {"id": "c1"}}}}}, "errors": None}
    actual = {
        "data": {"feed": {0: {"comments": {0: {"id": "c1"}, 1: {"id": "c2"}}}}},
        "errors": None,
    }
    assert first_difference(expected, actual) == "data.feed[0].comments: expected 1 item(s), got 2"


def test_expected_errors_that_did_not_come_back_are_reported():
    assert (
        first_difference({"data": None, "errors": True}, {"data": None, "errors": False})
        == "errors: expected errors, got none"
    )


def test_data_that_is_null_instead_of_an_object_is_a_value_difference():
    assert (
        first_difference({"data": {"a": {"b": 1}}}, {"data": None})
        == 'data: expected {"a": {"b": 1}}, got null'
    )


def test_fields_the_gateway_added_are_named():
    assert (
        first_difference({"data": {"a": 1}}, {"data": {"a": 1, "b": 2}})
        == "data: unexpected field(s) b"
    )


def test_a_number_is_not_equal_to_a_string_of_the_same_digits():
    assert first_difference({"data": {"n": 1}}, {"data": {"n": "1"}}) == (
        'data.n: expected 1, got "1"'
    )
