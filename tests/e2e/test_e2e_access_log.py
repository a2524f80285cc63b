"""Spec and attack suite: the access log of personal-data reads.

Every operation that released personal fields leaves exactly one hash-chained record:
who (subject, client), why (purpose, case), which fields, whose data (the identity
numbers actually returned), under which policy version, and the decision; never a value.
``govgraph audit verify`` proves the chain intact and names the first record that is not;
``govgraph audit query --subject`` tells a citizen who read their data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from e2e_stack import REPO, Stack

YINZHOU, QINGHE = "211202", "211204"
PURPOSE = "DB-2026-0311"


def govgraph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def new_records(stack: Stack, before: int) -> list[dict[str, Any]]:
    return stack.log_records()[before:]


@pytest.fixture(scope="module")
def officer_read(stack: Stack) -> dict[str, Any]:
    """A Yinzhou officer reads one resident's name and phone for a case."""
    resident = stack.truth.resident_of(YINZHOU)
    before = len(stack.log_records())
    body = stack.ask(
        "query ResidentContact($id: ID!) { person(idNumber: $id) { name phone } }",
        token=stack.officer(YINZHOU, subject="officer-0311"),
        purpose=PURPOSE,
        variables={"id": resident.id_number},
        headers={"x-case-number": "TL-YZ-2026-0311"},
    )
    return {"resident": resident, "body": body, "records": new_records(stack, before)}


def test_a_read_of_personal_data_leaves_exactly_one_record_of_who_why_what_and_whose(
    officer_read: dict[str, Any],
) -> None:
    assert "errors" not in officer_read["body"], officer_read["body"]
    assert len(officer_read["records"]) == 1, "one operation = one record"
    record = officer_read["records"][0]
    assert {
        key: record[key]
        for key in (
            "subject",
            "client_id",
            "purpose",
            "case",
            "operation_name",
            "fields",
            "data_subjects",
            "decision",
        )
    } == {
        "subject": "officer-0311",
        "client_id": None,
        "purpose": PURPOSE,
        "case": "TL-YZ-2026-0311",
        "operation_name": "ResidentContact",
        "fields": ["Person.name", "Person.phone"],
        "data_subjects": [officer_read["resident"].id_number],
        "decision": "allowed",
    }
    assert record["policy_version"], "the record names the policy version in force"
    assert record["seq"] >= 1 and len(record["hash"]) == 64


def test_the_log_holds_field_names_never_field_values(
    stack: Stack, officer_read: dict[str, Any]
) -> None:
    resident = officer_read["resident"]
    masked = officer_read["body"]["data"]["person"]
    text = stack.access_log.read_text(encoding="utf-8")
    for value in (resident.name, resident.phone, masked["name"], masked["phone"]):
        assert value not in text, f"the access log holds a value ({value!r}), not just its field"


def test_a_client_system_read_is_recorded_with_its_client_id(stack: Stack) -> None:
    resident = stack.truth.resident_of(QINGHE)
    token = stack.client_token("liaoning-exchange", "dev-liaoning-exchange-secret")
    before = len(stack.log_records())
    stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}',
        token=token,
        purpose="LN-EX-2026-118",
    )
    (record,) = new_records(stack, before)
    assert (record["subject"], record["client_id"]) == ("liaoning-exchange", "liaoning-exchange")
    assert record["data_subjects"] == [resident.id_number]
    assert record["purpose"] == "LN-EX-2026-118"


def test_a_citizen_reading_themself_is_recorded_too(stack: Stack) -> None:
    me = stack.truth.resident_of(YINZHOU)
    before = len(stack.log_records())
    stack.ask(
        f'{{ person(idNumber: "{me.id_number}") {{ phone }} }}', token=stack.citizen(me.id_number)
    )
    (record,) = new_records(stack, before)
    assert record["subject"] == me.id_number
    assert record["data_subjects"] == [me.id_number]
    assert record["purpose"] is None


def test_only_the_people_actually_returned_are_recorded_as_data_subjects(stack: Stack) -> None:
    mine, theirs = stack.truth.resident_of(YINZHOU), stack.truth.resident_of(QINGHE)
    before = len(stack.log_records())
    body = stack.ask(
        f'{{ mine: person(idNumber: "{mine.id_number}") {{ name }}'
        f' theirs: person(idNumber: "{theirs.id_number}") {{ name }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert body["data"]["theirs"] is None and body["data"]["mine"] is not None
    (record,) = new_records(stack, before)
    assert record["data_subjects"] == [mine.id_number], (
        "a Qinghe resident the officer was refused must not appear as read"
    )


def test_a_read_partly_withheld_by_a_row_condition_is_recorded_as_filtered(
    stack: Stack,
) -> None:
    mine, theirs = stack.truth.resident_of(YINZHOU), stack.truth.resident_of(QINGHE)
    before = len(stack.log_records())
    stack.ask(
        f'{{ mine: person(idNumber: "{mine.id_number}") {{ name }}'
        f' theirs: person(idNumber: "{theirs.id_number}") {{ name }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    (record,) = new_records(stack, before)
    assert record["decision"] == "filtered", (
        "the officer was refused a Qinghe resident; the log must not say 'allowed'"
    )


def test_a_read_refused_entirely_by_a_row_condition_names_no_data_subject(stack: Stack) -> None:
    theirs = stack.truth.resident_of(QINGHE)
    before = len(stack.log_records())
    stack.ask(
        f'{{ person(idNumber: "{theirs.id_number}") {{ name phone }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert all(theirs.id_number not in r["data_subjects"] for r in new_records(stack, before))


def test_a_read_refused_entirely_by_a_row_condition_is_not_recorded_as_allowed(
    stack: Stack,
) -> None:
    theirs = stack.truth.resident_of(QINGHE)
    before = len(stack.log_records())
    stack.ask(
        f'{{ person(idNumber: "{theirs.id_number}") {{ name phone }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    decisions = [r["decision"] for r in new_records(stack, before)]
    assert decisions == ["denied"], (
        f"nothing was released to the Yinzhou officer, yet the log says {decisions}"
    )


def test_a_purpose_stated_in_chinese_is_recorded_as_written(stack: Stack) -> None:
    resident = stack.truth.resident_of(YINZHOU)
    before = len(stack.log_records())
    stack.client.post(
        f"{stack.gateway_url}/graphql",
        json={"query": f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}'},
        headers={
            "authorization": f"Bearer {stack.officer(YINZHOU)}",
            "x-purpose": "低保审核 DB-2026-0311".encode(),
        },
    )
    (record,) = new_records(stack, before)
    assert record["purpose"] == "低保审核 DB-2026-0311", (
        f"the citizen would read the purpose as {record['purpose']!r}"
    )


def test_each_operation_of_a_batch_leaves_its_own_record(stack: Stack) -> None:
    first, second = sorted(
        (p for p in stack.truth.persons.values() if p.county_code == YINZHOU),
        key=lambda p: p.id_number,
    )[2:4]
    before = len(stack.log_records())
    stack.post(
        [
            {"query": f'query First {{ person(idNumber: "{first.id_number}") {{ name }} }}'},
            {"query": f'query Second {{ person(idNumber: "{second.id_number}") {{ gender }} }}'},
        ],
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    records = new_records(stack, before)
    assert sorted((r["operation_name"], tuple(r["data_subjects"])) for r in records) == [
        ("First", (first.id_number,)),
        ("Second", (second.id_number,)),
    ]


def test_the_policy_version_recorded_is_the_one_the_security_officers_check(
    stack: Stack, officer_read: dict[str, Any]
) -> None:
    result = govgraph(
        "policy",
        "check",
        "--policies",
        str(stack.policies),
        "--schema",
        str(stack.tmp / "supergraph.graphql"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    set_id = result.stdout.split("policy set ", 1)[1].split(":", 1)[0]
    assert officer_read["records"][0]["policy_version"].startswith(set_id), (
        f"the log names policy {officer_read['records'][0]['policy_version']}, "
        f"`govgraph policy check` names {set_id}"
    )


def test_reading_only_the_public_registry_writes_no_record(stack: Stack) -> None:
    before = len(stack.log_records())
    stack.ask(
        "{ enterprises(first: 3) { nodes { name creditCode } } }", token=stack.officer(YINZHOU)
    )
    assert new_records(stack, before) == [], "no personal field was released"


def test_a_refused_token_writes_no_record(stack: Stack) -> None:
    before = len(stack.log_records())
    stack.post({"query": "{ divisions { code } }"}, token="forged.token.here")
    assert new_records(stack, before) == []


# --- govgraph audit, as a subprocess ----------------------------------------------------


@pytest.fixture
def log_copy(stack: Stack, officer_read: dict[str, Any], tmp_path: Path) -> Path:
    """A copy of the live log (and its head anchor) with at least four records."""
    while len(stack.log_records()) < 4:
        resident = stack.truth.resident_of(YINZHOU)
        stack.ask(
            f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}',
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
        )
    copy = tmp_path / "access-log.jsonl"
    shutil.copy(stack.access_log, copy)
    head = stack.access_log.with_name(stack.access_log.name + ".head")
    if head.exists():
        shutil.copy(head, copy.with_name(copy.name + ".head"))
    return copy


def test_audit_verify_passes_on_the_live_log(stack: Stack, officer_read: dict[str, Any]) -> None:
    result = govgraph("audit", "verify", "--log", str(stack.access_log))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK:"), result.stdout


def rewrite(path: Path, change: Any) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(change(lines)))


def edited(lines: list[bytes]) -> list[bytes]:
    record = orjson.loads(lines[1])
    record["purpose"] = "routine check"  # an insider rewrites why they read it
    return [lines[0], orjson.dumps(record) + b"\n", *lines[2:]]


def deleted(lines: list[bytes]) -> list[bytes]:
    return [lines[0], *lines[2:]]


def swapped(lines: list[bytes]) -> list[bytes]:
    return [lines[0], lines[2], lines[1], *lines[3:]]


@pytest.mark.parametrize(
    "tamper",
    [edited, deleted, swapped],
    ids=["one record edited", "one line deleted", "two lines swapped"],
)
def test_audit_verify_fails_on_a_tampered_log_naming_the_first_bad_seq(
    log_copy: Path, tamper: Any
) -> None:
    assert govgraph("audit", "verify", "--log", str(log_copy)).returncode == 0
    rewrite(log_copy, tamper)
    result = govgraph("audit", "verify", "--log", str(log_copy))
    assert result.returncode == 1, f"tampering went unnoticed: {result.stdout}"
    assert "BROKEN at seq 2" in result.stdout, (
        f"verify should name seq 2, the first record that cannot be trusted: {result.stdout}"
    )


def test_audit_verify_notices_records_cut_off_the_end(log_copy: Path) -> None:
    rewrite(log_copy, lambda lines: lines[:-1])
    result = govgraph("audit", "verify", "--log", str(log_copy))
    assert result.returncode == 1, f"truncation went unnoticed: {result.stdout}"


def test_audit_query_shows_the_citizen_who_read_their_data_and_why(
    stack: Stack, officer_read: dict[str, Any]
) -> None:
    resident = officer_read["resident"]
    result = govgraph(
        "audit", "query", "--subject", resident.id_number, "--log", str(stack.access_log)
    )
    assert result.returncode == 0, result.stderr
    reads = [line for line in result.stdout.splitlines() if "officer-0311" in line]
    assert reads, f"the officer's read of {resident.id_number} is not listed:\n{result.stdout}"
    assert PURPOSE in reads[0] and "Person.phone" in reads[0]


def test_audit_query_as_json_lists_only_reads_of_that_person(
    stack: Stack, officer_read: dict[str, Any]
) -> None:
    resident = officer_read["resident"]
    result = govgraph(
        "audit", "query", "--subject", resident.id_number, "--json", "--log", str(stack.access_log)
    )
    records = [orjson.loads(line) for line in result.stdout.splitlines() if line]
    assert records, result.stderr
    assert all(resident.id_number in r["data_subjects"] for r in records)
    assert any(r["subject"] == "officer-0311" for r in records)


def test_the_applicant_can_find_who_read_their_dibao_decision(stack: Stack) -> None:
    case = next(
        c for c in sorted(stack.truth.dibao_cases, key=lambda c: c.case_number) if c.decision_note
    )
    before = len(stack.log_records())
    body = stack.ask(
        "query DibaoDecision($case: ID!) { dibaoCase(caseNumber: $case) {"
        " monthlyAmount decisionNote } }",
        token=stack.officer(case.county_code, subject="officer-reads-decision"),
        purpose=PURPOSE,
        variables={"case": case.case_number},
    )
    assert "errors" not in body, body
    (record,) = new_records(stack, before)
    assert "DibaoCase.decisionNote" in record["fields"]
    assert case.applicant_id_number in record["data_subjects"], (
        f"the officer read the sensitive decision note of {case.applicant_id_number}'s case, "
        f"but the log names data subjects {record['data_subjects']}: "
        "`audit query --subject` will never show the applicant this read"
    )
