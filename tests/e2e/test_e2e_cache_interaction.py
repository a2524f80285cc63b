"""Attack suite: the gateway's caches never carry one caller's view over to another.

The gateway caches parsed documents, query plans (keyed by what the policy decided) and
verified tokens. The same query text sent by callers with different grants, counties,
masking or purpose must still be decided for each of them on its own, in either order.
"""

from __future__ import annotations

from e2e_stack import Stack

YINZHOU, QINGHE = "211202", "211204"
PURPOSE = "DB-2026-0500"


def person_query(id_number: str, fields: str) -> str:
    return f'{{ person(idNumber: "{id_number}") {{ {fields} }} }}'


def test_a_citizens_unmasked_view_of_themself_is_not_served_to_an_officer_next(
    stack: Stack,
) -> None:
    me = stack.truth.resident_of(YINZHOU)
    query = person_query(me.id_number, "idNumber phone")
    own = stack.ask(query, token=stack.citizen(me.id_number), purpose=PURPOSE)
    assert own["data"]["person"] == {"idNumber": me.id_number, "phone": me.phone}
    officer = stack.ask(query, token=stack.officer(YINZHOU), purpose=PURPOSE)
    assert officer["data"]["person"]["idNumber"] != me.id_number, "the officer got the full ID"
    assert officer["data"]["person"]["phone"] != me.phone, "the officer got the full phone"


def test_an_officers_masked_view_is_not_served_to_the_citizen_next(stack: Stack) -> None:
    me = stack.truth.persons[sorted(stack.truth.persons)[1]]
    query = person_query(me.id_number, "idNumber name")
    officer = stack.ask(query, token=stack.officer(me.county_code), purpose=PURPOSE)
    assert officer["data"]["person"]["idNumber"] != me.id_number
    own = stack.ask(query, token=stack.citizen(me.id_number))
    assert own["data"]["person"] == {"idNumber": me.id_number, "name": me.name}


def test_a_field_granted_to_one_caller_stays_denied_to_the_next(stack: Stack) -> None:
    enterprise = sorted(stack.truth.enterprises)[0]
    query = f'{{ enterprise(creditCode: "{enterprise}") {{ name penalties {{ reason }} }} }}'
    market = stack.issuer.mint_user_token("market-0001", ["market:penalties"])
    officer = stack.officer(YINZHOU)
    for _ in range(2):  # warm every cache with both views, in both orders
        granted = stack.ask(query, token=market)
        assert "errors" not in granted, granted
        denied = stack.ask(query, token=officer, purpose=PURPOSE)
        assert ("UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"]) in [
            (e["extensions"]["code"], e["path"]) for e in denied["errors"]
        ], f"the officer was served the market staff's plan: {denied}"


def test_a_row_another_county_could_read_is_not_served_to_this_county(stack: Stack) -> None:
    resident = stack.truth.resident_of(QINGHE)
    query = person_query(resident.id_number, "name")
    qinghe = stack.ask(query, token=stack.officer(QINGHE), purpose=PURPOSE)
    assert qinghe["data"]["person"] is not None
    yinzhou = stack.ask(query, token=stack.officer(YINZHOU), purpose=PURPOSE)
    assert yinzhou["data"] == {"person": None}, "Qinghe's answer reached a Yinzhou officer"


def test_the_same_document_with_other_variables_is_decided_row_by_row(stack: Stack) -> None:
    query = "query($id: ID!) { person(idNumber: $id) { name } }"
    officer = stack.officer(YINZHOU)
    mine = stack.truth.resident_of(YINZHOU)
    theirs = stack.truth.resident_of(QINGHE)
    first = stack.ask(query, token=officer, purpose=PURPOSE, variables={"id": mine.id_number})
    assert first["data"]["person"] is not None
    second = stack.ask(query, token=officer, purpose=PURPOSE, variables={"id": theirs.id_number})
    assert second["data"] == {"person": None}


def test_a_stated_purpose_is_not_remembered_for_the_next_request(stack: Stack) -> None:
    resident = stack.truth.resident_of(YINZHOU)
    query = person_query(resident.id_number, "phone")
    officer = stack.officer(YINZHOU)
    assert stack.ask(query, token=officer, purpose=PURPOSE)["data"]["person"]["phone"]
    without = stack.ask(query, token=officer)
    assert [e["extensions"]["code"] for e in without["errors"]] == ["PURPOSE_REQUIRED"]
    assert without["data"] == {"person": {"phone": None}}


def test_a_verified_token_does_not_vouch_for_a_token_differing_in_one_character(
    stack: Stack,
) -> None:
    token = stack.officer(YINZHOU)
    query = "{ divisions { code } }"
    assert "errors" not in stack.ask(query, token=token)
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    response = stack.post({"query": query}, token=f"{header}.{payload}.{flipped}")
    assert response.status_code == 401


def test_a_repeated_read_is_answered_alike_and_logged_each_time(stack: Stack) -> None:
    """Whether the second answer comes from a cache or not, it is a read of personal data."""
    resident = stack.truth.resident_of(YINZHOU)
    query = person_query(resident.id_number, "name phone")
    officer = stack.officer(YINZHOU, subject="officer-repeat")
    before = len(stack.log_records())
    first = stack.ask(query, token=officer, purpose=PURPOSE)
    second = stack.ask(query, token=officer, purpose=PURPOSE)
    assert first == second
    records = [r for r in stack.log_records()[before:] if r["subject"] == "officer-repeat"]
    assert [r["data_subjects"] for r in records] == [[resident.id_number]] * 2, (
        "every read of personal data is evidence, cached answer or not"
    )


def test_a_change_is_visible_to_the_next_reader(stack: Stack) -> None:
    """After a mutation no reader is served the value from before it."""
    owner = next(
        p
        for p in sorted(stack.truth.persons.values(), key=lambda p: p.id_number, reverse=True)
        if p.county_code == QINGHE and p.alive and p.phone
    )
    query = person_query(owner.id_number, "phone")
    citizen = stack.citizen(owner.id_number)
    assert stack.ask(query, token=citizen)["data"]["person"]["phone"] == owner.phone
    staff = stack.issuer.mint_user_token("hukou-clerk-08", ["population:admin", "population:read"])
    changed = stack.ask(
        'mutation($id: ID!) { updatePhone(idNumber: $id, phone: "13700002222") { phone } }',
        token=staff,
        purpose="TL-2026-phone",
        variables={"id": owner.id_number},
    )
    assert "errors" not in changed, changed
    assert stack.ask(query, token=citizen)["data"]["person"]["phone"] == "13700002222", (
        "the citizen was served their old phone number after it was changed"
    )


def test_an_answer_with_personal_data_is_never_left_to_shared_http_caches(stack: Stack) -> None:
    resident = stack.truth.resident_of(YINZHOU)
    response = stack.post(
        {"query": person_query(resident.id_number, "name phone")},
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    directives = {d.strip() for d in response.headers.get("cache-control", "").split(",")}
    assert directives & {"no-store", "private"}, (
        f"a proxy may keep an officer's view of a resident: Cache-Control {directives}"
    )
    assert "public" not in directives
