"""Spec: the question the platform exists for, end to end.

A county civil-affairs officer checks a minimum-living-allowance (dibao) application: the
household's members (population), their marriages (civil_affairs), the enterprises they
represent (market_regulation), their insurance contributions (social_security) and their
properties (real_estate). One query, five departments, identity numbers masked, and one
batched call per department however many members the household has.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_stack import DEPARTMENTS, Stack

DIBAO_CHECK = """
query DibaoCheck($household: ID!) {
  household(householdNumber: $household) {
    members {
      name idNumber
      marriages { kind registeredOn }
      representedEnterprises { name creditCode licenceStatus }
      contributions(first: 12) { period insuranceType personalAmount }
      properties { certificateNumber area usage }
    }
  }
}
"""
CASE = "DB-2026-0042 dibao review"


def masked_id(id_number: str) -> str:
    return f"{id_number[:6]}********{id_number[-4:]}"


def masked_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


@pytest.fixture(scope="module")
def dibao_check(stack: Stack) -> dict[str, Any]:
    """The officer of the household's own county runs DibaoCheck once, with a case number."""
    household = stack.truth.dibao_household()
    log_before = len(stack.log_records())
    with stack.watching() as calls:
        body = stack.ask(
            DIBAO_CHECK,
            token=stack.officer(household.county_code, subject="officer-dibao-0042"),
            purpose=CASE,
            variables={"household": household.household_number},
        )
    return {
        "household": household,
        "body": body,
        "calls": calls,
        "records": stack.log_records()[log_before:],
    }


def test_the_officer_gets_every_member_with_data_from_all_five_departments(
    stack: Stack, dibao_check: dict[str, Any]
) -> None:
    truth = stack.truth
    household = dibao_check["household"]
    body = dibao_check["body"]
    assert "errors" not in body, f"the officer of the household's own county was refused: {body}"
    members = body["data"]["household"]["members"]
    expected_ids = sorted(p.id_number for p in truth.members[household.household_number])
    assert sorted(m["idNumber"] for m in members) == sorted(masked_id(i) for i in expected_ids), (
        "the household register (population) did not return exactly the registered members"
    )
    by_masked = {masked_id(i): truth.persons[i] for i in expected_ids}
    for member in members:
        person = by_masked[member["idNumber"]]
        who = f"member {member['idNumber']}"
        assert member["name"] == masked_name(person.name), f"{who}: name not masked as 张*"
        assert all(
            m.office_county_code == household.county_code for m in truth.marriages[person.id_number]
        ), "precondition: all marriages were registered in the household's county"
        assert sorted((m["kind"], m["registeredOn"]) for m in member["marriages"]) == sorted(
            (m.kind, m.registered_on) for m in truth.marriages[person.id_number]
        ), f"{who}: marriages (civil_affairs) incomplete"
        assert sorted(
            (e["name"], e["creditCode"], e["licenceStatus"])
            for e in member["representedEnterprises"]
        ) == sorted(
            (e.name, e.credit_code, e.licence_status) for e in truth.represented[person.id_number]
        ), f"{who}: represented enterprises (market_regulation) incomplete"
        assert len(member["contributions"]) == min(12, truth.contributions[person.id_number]), (
            f"{who}: contributions (social_security) should be the latest 12 at most"
        )
        assert sorted(p["certificateNumber"] for p in member["properties"]) == sorted(
            p.certificate_number for p in truth.properties[person.id_number]
        ), f"{who}: properties (real_estate) incomplete"
    answered = {
        "civil_affairs": any(m["marriages"] for m in members),
        "market_regulation": any(m["representedEnterprises"] for m in members),
        "social_security": any(m["contributions"] for m in members),
        "real_estate": any(m["properties"] for m in members),
    }
    assert all(answered.values()), f"some department contributed nothing: {answered}"


def test_no_full_identity_number_or_name_leaves_the_gateway_for_a_masking_officer(
    stack: Stack, dibao_check: dict[str, Any]
) -> None:
    text = str(dibao_check["body"])
    for person in stack.truth.members[dibao_check["household"].household_number]:
        assert person.id_number not in text, "a full identity number reached the officer"
        assert person.name not in text or len(person.name) == 1, "a full name reached the officer"


def test_each_department_is_asked_once_in_one_batch_not_once_per_member(
    dibao_check: dict[str, Any],
) -> None:
    """Two levels (the household's members, then their data elsewhere): one request per
    department. (With the entity cache warm a department may be spared; never asked twice.)"""
    calls = dibao_check["calls"]
    per_department = {name: [c for c in calls if c.subgraph == name] for name in DEPARTMENTS}
    counts = {name: len(c) for name, c in per_department.items()}
    assert counts["population"] == 1, f"the household register was asked {counts}"
    assert all(n <= 1 for n in counts.values()), (
        f"a department was asked more than once (per member?): {counts}"
    )
    members = len(dibao_check["body"]["data"]["household"]["members"])
    for name in DEPARTMENTS[1:]:
        for call in per_department[name]:
            assert "_entities" in call.query, f"{name} was not asked through batched _entities"
            assert call.body.count(b'"Person"') == members, (
                f"{name} should get all {members} members as representations of one request"
            )


def test_every_subgraph_call_is_signed_by_the_gateway(dibao_check: dict[str, Any]) -> None:
    assert all(c.signed and c.status == 200 for c in dibao_check["calls"]), [
        (c.subgraph, c.signed, c.status) for c in dibao_check["calls"]
    ]


def test_the_check_is_written_to_the_access_log_with_its_case_and_data_subjects(
    stack: Stack, dibao_check: dict[str, Any]
) -> None:
    records = dibao_check["records"]
    assert len(records) == 1, "one operation releasing personal data = one access-log record"
    record = records[0]
    members = sorted(
        p.id_number for p in stack.truth.members[dibao_check["household"].household_number]
    )
    assert record["subject"] == "officer-dibao-0042"
    assert record["client_id"] is None
    assert record["purpose"] == CASE
    assert record["operation_name"] == "DibaoCheck"
    assert record["decision"] == "allowed"
    assert record["data_subjects"] == members, "data subjects must be the members returned"
    assert {"Person.name", "Person.idNumber", "Person.marriages", "Person.contributions"} <= set(
        record["fields"]
    )
    assert record["policy_version"], "the record names the policy version in force"
