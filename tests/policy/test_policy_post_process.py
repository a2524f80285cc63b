"""Spec: post-processing the raw merged data — row checks, masking, hidden fields, subjects."""

from __future__ import annotations

from typing import Any

from policy_support import CITIZEN, OFFICER_TIELING, decide

from gateway.policy import DataSubject, Principal

TIELING_ID = "211221199001011234"
YINZHOU_ID = "211202199001011234"


def person(id_number: str, county: str, **extra: Any) -> dict[str, Any]:
    """A person as the executor merges it: client keys plus the hidden ones asked for."""
    return {
        "idNumber": id_number,
        "name": "张三丰",
        "phone": "13812345678",
        "__gg_row__registeredCounty__code": {"code": county},
        "__gg_row__idNumber": id_number,
        "__gg_subject": id_number,
        **extra,
    }


def test_an_officer_sees_a_resident_of_their_county_masked_and_the_subject_is_recorded() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { idNumber name phone } }')
    result = decision.post_process({"person": person(TIELING_ID, "211221")}, [])
    assert result.data == {
        "person": {"idNumber": "211221********1234", "name": "张**", "phone": "138****5678"}
    }
    assert result.errors == []
    assert result.subjects == (DataSubject("Person", "idNumber", TIELING_ID),)
    assert result.data_subjects == {TIELING_ID}
    assert result.masked_fields == {"Person.idNumber", "Person.name", "Person.phone"}


def test_a_resident_of_another_county_becomes_null_with_an_error_at_its_path() -> None:
    decision = decide(OFFICER_TIELING, "{ persons { idNumber } }")
    raw = {"persons": [person(TIELING_ID, "211221"), person(YINZHOU_ID, "211202")]}
    result = decision.post_process(raw, [{"message": "from a subgraph"}])
    assert result.data == {"persons": [{"idNumber": "211221********1234"}, None]}
    assert result.errors[0] == {"message": "from a subgraph"}
    assert result.errors[1]["path"] == ["persons", 1]
    assert result.errors[1]["extensions"] == {"code": "UNAUTHORIZED_ROW"}
    assert result.denied_rows == 1
    assert result.subjects == (DataSubject("Person", "idNumber", TIELING_ID),)
    assert result.data_subjects == {TIELING_ID}


def test_a_row_whose_condition_value_is_missing_is_denied() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { idNumber } }')
    raw = {"person": {"idNumber": TIELING_ID}}
    assert decision.post_process(raw, []).data == {"person": None}


def test_an_officer_without_a_county_claim_sees_no_rows() -> None:
    no_county = Principal(kind="user", subject="o", scopes=frozenset({"civil_affairs:officer"}))
    decision = decide(no_county, '{ person(idNumber: "1") { idNumber } }')
    assert decision.claims == {"county": None}
    assert decision.post_process({"person": person(TIELING_ID, "211221")}, []).data == {
        "person": None
    }


def test_a_citizen_sees_themself_unmasked_and_nobody_else() -> None:
    decision = decide(
        CITIZEN, '{ a: person(idNumber: "1") { idNumber } b: person(idNumber: "2") { idNumber } }'
    )
    raw = {"a": person(YINZHOU_ID, "211202"), "b": person(TIELING_ID, "211221")}
    result = decision.post_process(raw, [])
    assert result.data == {"a": {"idNumber": YINZHOU_ID}, "b": None}
    assert [e["path"] for e in result.errors] == [["b"]]


def test_hidden_fields_and_unreleased_keys_never_reach_the_shaping_stage() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { name } }')
    raw = {"person": person(TIELING_ID, "211221", household={"address": "x"})}
    assert decision.post_process(raw, []).data == {"person": {"name": "张**"}}


def test_typename_follows_fragments_on_a_union() -> None:
    decision = decide(
        OFFICER_TIELING,
        '{ owner(id: "1") { ... on Person { name } ... on Enterprise { name } } }',
    )
    raw = {"owner": {"__typename": "Enterprise", "name": "铁岭市某某有限公司", "creditCode": "x"}}
    assert decision.post_process(raw, []).data == {
        "owner": {"__typename": "Enterprise", "name": "铁岭市某某有限公司"}
    }
    raw_person = {"owner": {"__typename": "Person", **person(TIELING_ID, "211221")}}
    assert decision.post_process(raw_person, []).data == {
        "owner": {"__typename": "Person", "name": "张**"}
    }


def test_an_abstract_object_without_typename_is_dropped() -> None:
    decision = decide(OFFICER_TIELING, '{ owner(id: "1") { ... on Enterprise { name } } }')
    result = decision.post_process({"owner": {"name": "n"}}, [])
    assert result.data == {"owner": None}
    assert result.errors[0]["extensions"]["code"] == "UNAUTHORIZED_ROW"


def test_fields_skipped_at_execution_stay_absent() -> None:
    decision = decide(OFFICER_TIELING, "{ divisions { code name } }")
    assert decision.post_process({"divisions": [{"code": "211221"}]}, []).data == {
        "divisions": [{"code": "211221"}]
    }


def test_a_masked_value_that_is_not_text_becomes_null_rather_than_leak() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { phone } }')
    raw = {"person": person(TIELING_ID, "211221", phone=13812345678)}
    assert decision.post_process(raw, []).data == {"person": {"phone": None}}


def test_null_data_and_a_rejected_decision_pass_nothing() -> None:
    decision = decide(OFFICER_TIELING, "{ secret }")
    assert decision.post_process({"secret": "s"}, []).data is None
    allowed = decide(OFFICER_TIELING, "{ divisions { code } }")
    assert allowed.post_process(None, [{"message": "m"}]).errors == [{"message": "m"}]


def test_an_exception_while_post_processing_withholds_the_response() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { name } }')
    broken = decision.__class__(**{**_fields(decision), "claims": None})  # type: ignore[arg-type]
    result = broken.post_process({"person": person(TIELING_ID, "211221")}, [])
    assert result.data is None
    assert result.errors[-1]["extensions"]["code"] == "AUTHORIZATION_FAILED"


def _fields(decision: Any) -> dict[str, Any]:
    return {name: getattr(decision, name) for name in decision.__dataclass_fields__}


def test_a_row_rule_of_a_field_skipped_at_execution_does_not_deny_the_entity() -> None:
    exchange_and_officer = Principal(
        kind="user",
        subject="o",
        county="211221",
        scopes=frozenset({"civil_affairs:officer", "market:penalties"}),
    )
    decision = decide(
        exchange_and_officer,
        'query($m: Boolean!) { owner(id: "1") { ... on Person { marriages @include(if: $m) } } }',
    )
    raw = {
        "owner": {"__typename": "Person", "__gg_row__registeredCounty__code": {"code": "211202"}}
    }
    assert decision.post_process(raw, []).data == {"owner": {"__typename": "Person"}}
    raw["owner"]["marriages"] = ["M"]
    assert decision.post_process(raw, []).data == {"owner": None}


def test_when_every_row_that_passes_is_unmasked_the_field_is_not_reported_masked() -> None:
    decision = decide(CITIZEN, '{ person(idNumber: "1") { idNumber name } }')
    assert decision.masked_fields == frozenset()


def test_a_subgraph_error_on_a_hidden_field_does_not_name_it() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { name } }')
    errors: list[dict[str, Any]] = [
        {"message": "boom", "path": ["person", "__gg_row__registeredCounty__code", "code"]}
    ]
    decision.post_process({"person": person(TIELING_ID, "211221")}, errors)
    assert errors[0]["path"] == ["person"]
