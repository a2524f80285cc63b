"""Spec: the row gate — an object of a row-protected type is released only for rows a grant
of the caller shows, whatever is selected (``__typename``, key or unconditional fields)."""

from __future__ import annotations

from policy_support import CITIZEN, EXCHANGE, OFFICER_TIELING, decide, errors_of

from gateway.policy import Principal

STRANGER_ID = "211221199001011234"
CITIZEN_ID = "211202199001011234"
NOBODY = Principal(kind="user", subject="w-1", scopes=frozenset({"weather:read"}))


def test_typename_alone_of_a_stranger_is_null_with_unauthorized_row() -> None:
    decision = decide(CITIZEN, '{ person(idNumber: "1") { __typename } }', purpose=None)
    assert "__gg_row__idNumber: idNumber" in decision.printed
    stranger = decision.post_process(
        {"person": {"__typename": "Person", "__gg_row__idNumber": STRANGER_ID}}, []
    )
    assert stranger.data == {"person": None}
    assert errors_of_result(stranger.errors) == [("UNAUTHORIZED_ROW", ["person"])]
    own = decision.post_process(
        {"person": {"__typename": "Person", "__gg_row__idNumber": CITIZEN_ID}}, []
    )
    assert own.data == {"person": {"__typename": "Person"}} and own.errors == []


def test_an_unconditional_field_of_a_row_protected_type_is_gated_too() -> None:
    # Person.id is unconditional in the fixture; it must not tell a Yinzhou row exists.
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { id } }')
    raw = {"person": {"id": "P1", "__gg_row__registeredCounty__code": {"code": "211202"}}}
    assert decision.post_process(raw, []).data == {"person": None}
    raw = {"person": {"id": "P1", "__gg_row__registeredCounty__code": {"code": "211221"}}}
    assert decision.post_process(raw, []).data == {"person": {"id": "P1"}}


def test_a_caller_with_a_grant_without_row_condition_is_not_gated() -> None:
    decision = decide(EXCHANGE, '{ person(idNumber: "1") { __typename id } }')
    assert "__gg_row__" not in decision.printed
    raw = {"person": {"__typename": "Person", "id": "P1"}}
    assert decision.post_process(raw, []).data == raw


def test_a_caller_without_any_grant_on_the_type_does_not_even_fetch_it() -> None:
    decision = decide(NOBODY, '{ person(idNumber: "1") { __typename id } }')
    assert decision.rejected
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["person"])]
    assert decision.errors[0]["extensions"]["coordinate"] == "Query.person"


def test_a_mutation_is_not_removed_for_its_result_but_the_result_is_gated() -> None:
    admin = Principal(kind="user", subject="a", scopes=frozenset({"population:admin"}))
    decision = decide(admin, 'mutation { updatePhone(idNumber: "1", phone: "1") { id } }')
    assert decision.errors == [] and not decision.rejected
    result = decision.post_process({"updatePhone": {"id": "P1"}}, [])
    assert result.data == {"updatePhone": None}
    assert errors_of_result(result.errors) == [("UNAUTHORIZED_ROW", ["updatePhone"])]


def test_an_abstract_position_fetches_the_gate_of_each_row_protected_member() -> None:
    decision = decide(CITIZEN, '{ owner(id: "1") { __typename } }', purpose=None)
    assert "... on Person {\n      __gg_row__idNumber: idNumber" in decision.printed
    person = {"owner": {"__typename": "Person", "__gg_row__idNumber": STRANGER_ID}}
    assert decision.post_process(person, []).data == {"owner": None}
    enterprise = {"owner": {"__typename": "Enterprise"}}
    assert decision.post_process(enterprise, []).data == enterprise


def test_the_gate_values_are_fetched_outside_fragments_that_directives_may_skip() -> None:
    decision = decide(
        CITIZEN,
        'query($x: Boolean!) { person(idNumber: "1") { ... @include(if: $x) { id } } }',
        purpose=None,
        variables={"x": False},
    )
    raw = {"person": {"__gg_row__idNumber": CITIZEN_ID}}
    assert decision.post_process(raw, []).data == {"person": {}}


def test_a_denied_row_in_a_list_is_null_in_place() -> None:
    decision = decide(CITIZEN, "{ persons { __typename } }", purpose=None)
    raw = {
        "persons": [
            {"__typename": "Person", "__gg_row__idNumber": CITIZEN_ID},
            {"__typename": "Person", "__gg_row__idNumber": STRANGER_ID},
        ]
    }
    result = decision.post_process(raw, [])
    # Shaping then nulls the list ([Person!]!) as GraphQL requires; see the e2e specs.
    assert result.data == {"persons": [{"__typename": "Person"}, None]}
    assert errors_of_result(result.errors) == [("UNAUTHORIZED_ROW", ["persons", 1])]


def test_the_gate_is_part_of_the_fingerprint() -> None:
    # Before the gate, two citizens asking for __typename shared a fingerprint, and so a
    # cached response: one citizen's Person would have been served to the other.
    other = Principal(kind="user", subject=STRANGER_ID, scopes=frozenset({"citizen"}))
    query = '{ person(idNumber: "1") { __typename } }'
    assert decide(CITIZEN, query).fingerprint != decide(other, query).fingerprint
    assert decide(CITIZEN, query).claims == {"sub": CITIZEN_ID}


def errors_of_result(errors: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(e["extensions"]["code"], e.get("path")) for e in errors]  # type: ignore[index]
