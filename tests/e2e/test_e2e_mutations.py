"""Spec: changing department data through the gateway, with and without the grant.

A mutation the caller holds no grant for is refused before any department is asked, and
the record stays as it was; with the grant the department changes it and the change is
visible to the next reader.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_stack import Stack

from subgraphs.common.records import DibaoCaseRecord, PersonRecord

DECIDE = """
mutation Decide($case: ID!) {
  decideDibaoCase(caseNumber: $case, decision: APPROVE, monthlyAmount: 520,
                  note: "家庭人均收入低于当地最低生活保障标准，予以批准") {
    caseNumber status monthlyAmount decidedOn
  }
}
"""
CASE_STATUS = "query($case: ID!) { dibaoCase(caseNumber: $case) { status monthlyAmount } }"
UPDATE_PHONE = """
mutation($id: ID!, $phone: String!) { updatePhone(idNumber: $id, phone: $phone) { phone } }
"""
NEW_PHONE = "13900001111"


@pytest.fixture(scope="module")
def pending_case(stack: Stack) -> DibaoCaseRecord:
    """A pending dibao case of a household no other spec looks at."""
    dibao_household = stack.truth.dibao_household().household_number
    return next(
        c
        for c in sorted(stack.truth.dibao_cases, key=lambda c: c.case_number)
        if c.status == "PENDING" and c.household_number != dibao_household
    )


@pytest.fixture(scope="module")
def phone_owner(stack: Stack) -> PersonRecord:
    """A living Yinzhou resident with a phone, not the one the policy specs read."""
    return next(
        p
        for p in sorted(stack.truth.persons.values(), key=lambda p: p.id_number, reverse=True)
        if p.county_code == "211202" and p.alive and p.phone
    )


def case_status(stack: Stack, case: DibaoCaseRecord) -> dict[str, Any]:
    body = stack.ask(
        CASE_STATUS,
        token=stack.officer(case.county_code),
        purpose="DB-audit",
        variables={"case": case.case_number},
    )
    assert "errors" not in body, body
    status: dict[str, Any] = body["data"]["dibaoCase"]
    return status


def test_an_officer_without_the_decide_grant_cannot_decide_a_dibao_case(
    stack: Stack, pending_case: DibaoCaseRecord
) -> None:
    with stack.watching() as calls:
        body = stack.ask(
            DECIDE,
            token=stack.officer(pending_case.county_code),
            purpose=pending_case.case_number,
            variables={"case": pending_case.case_number},
        )
    assert body.get("data") is None, body
    assert [(e["extensions"]["coordinate"], e.get("path")) for e in body["errors"]] == [
        ("Mutation.decideDibaoCase", ["decideDibaoCase"])
    ], body
    assert not any("decideDibaoCase" in c.query for c in calls), (
        "the Civil Affairs Bureau was asked to decide for an officer without the grant"
    )
    assert case_status(stack, pending_case)["status"] == "PENDING"


def test_a_denied_mutation_carries_the_same_stable_code_as_any_denied_field(
    stack: Stack, pending_case: DibaoCaseRecord
) -> None:
    body = stack.ask(
        DECIDE,
        token=stack.officer(pending_case.county_code),
        purpose=pending_case.case_number,
        variables={"case": pending_case.case_number},
    )
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert codes == ["UNAUTHORIZED_FIELD_OR_TYPE"], (
        f"a field nobody granted is UNAUTHORIZED_FIELD_OR_TYPE wherever it appears, got {codes}"
    )


def test_a_citizen_cannot_decide_their_own_case(
    stack: Stack, pending_case: DibaoCaseRecord
) -> None:
    body = stack.ask(
        DECIDE,
        token=stack.citizen(pending_case.applicant_id_number),
        variables={"case": pending_case.case_number},
    )
    assert body.get("data") is None, body
    assert [e["extensions"].get("coordinate") for e in body["errors"]] == [
        "Mutation.decideDibaoCase"
    ]
    assert case_status(stack, pending_case)["status"] == "PENDING"


def test_a_mutation_cannot_be_sent_with_get(stack: Stack, pending_case: DibaoCaseRecord) -> None:
    token = stack.officer(
        pending_case.county_code, scopes=("civil_affairs:officer", "civil_affairs:decide")
    )
    response = stack.client.get(
        f"{stack.gateway_url}/graphql",
        params={
            "query": DECIDE,
            "variables": f'{{"case": "{pending_case.case_number}"}}',
        },
        headers={"authorization": f"Bearer {token}", "x-purpose": pending_case.case_number},
    )
    assert response.status_code == 405
    assert case_status(stack, pending_case)["status"] == "PENDING"


def test_an_officer_with_the_decide_grant_approves_a_case_of_their_county(
    stack: Stack, pending_case: DibaoCaseRecord
) -> None:
    decider = stack.officer(
        pending_case.county_code,
        scopes=("civil_affairs:officer", "civil_affairs:decide"),
        subject="decider-0001",
    )
    body = stack.ask(
        DECIDE,
        token=decider,
        purpose=pending_case.case_number,
        variables={"case": pending_case.case_number},
    )
    assert "errors" not in body, body
    decided = body["data"]["decideDibaoCase"]
    assert decided["caseNumber"] == pending_case.case_number
    assert (decided["status"], decided["monthlyAmount"]) == ("APPROVED", 520.0)
    assert decided["decidedOn"], "an approval carries its date"
    assert case_status(stack, pending_case) == {"status": "APPROVED", "monthlyAmount": 520.0}


def test_updating_a_phone_needs_the_registration_admin_grant(
    stack: Stack, phone_owner: PersonRecord
) -> None:
    with stack.watching() as calls:
        body = stack.ask(
            UPDATE_PHONE,
            token=stack.officer("211202"),
            purpose="TL-2026-phone",
            variables={"id": phone_owner.id_number, "phone": NEW_PHONE},
        )
    assert body.get("data") is None, body
    assert ("Mutation.updatePhone", ["updatePhone"]) in [
        (e["extensions"].get("coordinate"), e.get("path")) for e in body["errors"]
    ], body
    assert not any("updatePhone" in c.query for c in calls)
    mine = stack.ask(
        f'{{ person(idNumber: "{phone_owner.id_number}") {{ phone }} }}',
        token=stack.citizen(phone_owner.id_number),
    )
    assert mine["data"]["person"]["phone"] == phone_owner.phone, "the phone changed anyway"


def test_registration_staff_update_a_phone_and_the_citizen_sees_it(
    stack: Stack, phone_owner: PersonRecord
) -> None:
    staff = stack.issuer.mint_user_token(
        "hukou-clerk-07", ["population:admin", "population:read"], department="population"
    )
    body = stack.ask(
        UPDATE_PHONE,
        token=staff,
        purpose="TL-2026-phone",
        variables={"id": phone_owner.id_number, "phone": NEW_PHONE},
    )
    assert body == {"data": {"updatePhone": {"phone": NEW_PHONE}}}, body
    mine = stack.ask(
        f'{{ person(idNumber: "{phone_owner.id_number}") {{ phone }} }}',
        token=stack.citizen(phone_owner.id_number),
    )
    assert mine["data"]["person"]["phone"] == NEW_PHONE


def test_a_rejected_input_is_a_clear_error_naming_the_argument(
    stack: Stack, phone_owner: PersonRecord
) -> None:
    staff = stack.issuer.mint_user_token("hukou-clerk-07", ["population:admin", "population:read"])
    body = stack.ask(
        UPDATE_PHONE,
        token=staff,
        purpose="TL-2026-phone",
        variables={"id": phone_owner.id_number, "phone": "12345"},
    )
    assert body["errors"], body
    assert "phone" in body["errors"][0]["message"]


APPLY = """
mutation Apply($applicant: ID!, $household: ID!) {
  applyForDibao(applicantIdNumber: $applicant, householdNumber: $household) { caseNumber }
}
"""


def household_cases(stack: Stack, household: str, county: str) -> list[str]:
    body = stack.ask(
        "query($h: ID!) { household(householdNumber: $h) { dibaoCases { caseNumber } } }",
        token=stack.officer(county),
        purpose="DB-audit",
        variables={"h": household},
    )
    assert "errors" not in body, body
    return [c["caseNumber"] for c in body["data"]["household"]["dibaoCases"]]


def test_a_citizen_cannot_apply_for_dibao_in_another_residents_name(stack: Stack) -> None:
    truth = stack.truth
    with_cases = {c.household_number for c in truth.dibao_cases}
    victim_household = next(
        h
        for h in sorted(truth.households.values(), key=lambda h: h.household_number, reverse=True)
        if h.county_code == "211204" and h.household_number not in with_cases
    )
    victim = truth.persons[victim_household.head_id_number]
    me = truth.resident_of("211202")
    assert me.household_number != victim_household.household_number
    before = household_cases(stack, victim_household.household_number, "211204")
    stack.ask(
        APPLY,
        token=stack.citizen(me.id_number),
        variables={"applicant": victim.id_number, "household": victim_household.household_number},
    )
    after = household_cases(stack, victim_household.household_number, "211204")
    assert after == before, (
        f"citizen {me.id_number} opened dibao case(s) {sorted(set(after) - set(before))} "
        f"in the name of {victim.id_number}, a stranger in another district"
    )


def test_a_decider_cannot_decide_a_case_of_another_county(stack: Stack) -> None:
    truth = stack.truth
    with_cases = {c.household_number for c in truth.dibao_cases}
    household = next(
        h
        for h in sorted(truth.households.values(), key=lambda h: h.household_number)
        if h.county_code == "211204" and h.household_number not in with_cases
    )
    qinghe_officer = stack.officer("211204")
    filed = stack.ask(
        APPLY,
        token=qinghe_officer,
        purpose="DB-intake",
        variables={"applicant": household.head_id_number, "household": household.household_number},
    )
    assert "errors" not in filed, filed
    case = filed["data"]["applyForDibao"]["caseNumber"]
    yinzhou_decider = stack.officer(
        "211202", scopes=("civil_affairs:officer", "civil_affairs:decide")
    )
    stack.ask(DECIDE, token=yinzhou_decider, purpose=case, variables={"case": case})
    status = stack.ask(
        CASE_STATUS, token=qinghe_officer, purpose="DB-audit", variables={"case": case}
    )["data"]["dibaoCase"]["status"]
    assert status == "PENDING", f"a Yinzhou officer decided Qinghe case {case}: now {status}"


def test_the_gateway_refuses_a_citizens_application_in_a_strangers_name_before_planning(
    stack: Stack,
) -> None:
    """citizen-applies holds only when applicantIdNumber = the caller's subject."""
    truth = stack.truth
    me = truth.resident_of("211202")
    stranger = next(p for p in truth.persons.values() if p.county_code == "211204")
    with stack.watching() as calls:
        body = stack.ask(
            APPLY,
            token=stack.citizen(me.id_number),
            variables={"applicant": stranger.id_number, "household": stranger.household_number},
        )
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    nested = [
        inner.get("extensions", {}).get("code")
        for e in body.get("errors", [])
        for inner in e.get("extensions", {}).get("errors", [])
    ]
    assert "UNAUTHORIZED_ARGUMENTS" in codes + nested, body
    assert not [c for c in calls if c.subgraph == "civil_affairs"], "the department was asked"


def test_a_citizen_applies_in_their_own_name_and_sees_the_case_opened(stack: Stack) -> None:
    truth = stack.truth
    with_cases = {c.household_number for c in truth.dibao_cases}
    household = next(
        h
        for h in sorted(truth.households.values(), key=lambda h: h.household_number)
        if h.county_code == "211221" and h.household_number not in with_cases
    )
    body = stack.ask(
        APPLY,
        token=stack.citizen(household.head_id_number),
        variables={"applicant": household.head_id_number, "household": household.household_number},
    )
    assert "errors" not in body, body
    assert body["data"]["applyForDibao"]["caseNumber"].startswith("DB211221"), body
