"""Attack suite: request shapes that try to slip past the policy or the edge.

Reserved aliases (the gateway's own hidden fields), client aliases on join keys, several
operations in one document, GET instead of POST, tokens in the URL, and oversized
requests: each is decided exactly as the plain request would be, or refused outright.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from e2e_stack import Stack

YINZHOU, QINGHE = "211202", "211204"
PURPOSE = "DB-2026-0900"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def codes(body: dict[str, Any]) -> list[tuple[str | None, Any]]:
    return [(e.get("extensions", {}).get("code"), e.get("path")) for e in body.get("errors", [])]


@pytest.mark.parametrize(
    "alias",
    ["__gg_subject", "__gg_row__registeredCounty__code", "__typename"],
)
def test_an_alias_reserved_by_the_gateway_is_refused(stack: Stack, alias: str) -> None:
    """Hidden fields decide rows and data subjects; a client must not be able to fake them."""
    resident = stack.truth.resident_of(QINGHE)
    before = len(stack.log_records())
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ person(idNumber: "{resident.id_number}") {{ name {alias}: registeredCounty {{ code: name }} }} }}',
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
        )
    assert ("RESERVED_ALIAS", ["person", alias]) in codes(body), body
    assert body.get("data") is None
    assert calls == [], "a refused operation reaches no department"
    assert stack.log_records()[before:] == []


def test_an_alias_that_renames_a_field_to_the_join_key_does_not_redirect_the_join(
    stack: Stack,
) -> None:
    household = stack.truth.dibao_household()
    members = stack.truth.members[household.household_number]
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ household(householdNumber: "{household.household_number}") {{'
            " members { idNumber: phone marriages { kind registeredOn } } } }",
            token=stack.officer(household.county_code),
            purpose=PURPOSE,
        )
    assert "errors" not in body, body
    civil = next(c for c in calls if c.subgraph == "civil_affairs")
    sent = {r["idNumber"] for r in json.loads(civil.body)["variables"]["representations"]}
    assert sent == {p.id_number for p in members}, (
        "the Civil Affairs Bureau was asked about the phone numbers the client aliased as idNumber"
    )
    returned = sorted(len(m["marriages"]) for m in body["data"]["household"]["members"])
    assert returned == sorted(len(stack.truth.marriages[p.id_number]) for p in members)
    for person in members:
        assert person.id_number not in str(body), "the real join key leaked under the alias"


def test_the_operation_chosen_by_name_is_the_one_authorized(stack: Stack) -> None:
    enterprise = sorted(stack.truth.enterprises)[0]
    document = (
        f'query Harmless {{ enterprise(creditCode: "{enterprise}") {{ name }} }}\n'
        f'query Fines {{ enterprise(creditCode: "{enterprise}") {{ penalties {{ reason }} }} }}'
    )
    officer = stack.officer(YINZHOU)
    harmless = stack.post(
        {"query": document, "operationName": "Harmless"}, token=officer, purpose=PURPOSE
    ).json()
    assert "errors" not in harmless, harmless
    with stack.watching() as calls:
        fines = stack.post(
            {"query": document, "operationName": "Fines"}, token=officer, purpose=PURPOSE
        ).json()
    assert ("UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"]) in codes(fines), fines
    assert not any("penalties" in c.query for c in calls)


def test_a_document_of_several_operations_without_a_name_is_refused(stack: Stack) -> None:
    document = "query A { divisions { code } } query B { divisions { name } }"
    response = stack.post(
        {"query": document}, token=stack.officer(YINZHOU), headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert "data" not in response.json()


def test_a_get_request_is_decided_like_a_post(stack: Stack) -> None:
    enterprise = sorted(stack.truth.enterprises)[0]
    response = stack.client.get(
        f"{stack.gateway_url}/graphql",
        params={
            "query": f'{{ enterprise(creditCode: "{enterprise}") {{ name penalties {{ reason }} }} }}'
        },
        headers={
            "authorization": f"Bearer {stack.officer(YINZHOU)}",
            "accept": "application/json",
        },
    )
    assert ("UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"]) in codes(response.json())


def test_a_token_in_the_url_is_not_accepted(stack: Stack) -> None:
    response = stack.client.get(
        f"{stack.gateway_url}/graphql",
        params={"query": "{ divisions { code } }", "access_token": stack.officer(YINZHOU)},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 401, "tokens belong in the Authorization header (RFC 6750)"


def test_an_oversized_token_is_refused(stack: Stack) -> None:
    response = stack.post({"query": "{ divisions { code } }"}, token="a" * 20_000)
    assert response.status_code == 401


def test_a_query_nested_beyond_the_depth_limit_is_refused_before_any_department_is_asked(
    stack: Stack,
) -> None:
    household = stack.truth.dibao_household()
    nested = "name"
    for _ in range(14):  # members → household → members … 28 levels deep
        nested = f"household {{ members {{ {nested} }} }}"
    query = f'{{ person(idNumber: "{stack.truth.members[household.household_number][0].id_number}") {{ {nested} }} }}'
    with stack.watching() as calls:
        response = stack.post(
            {"query": query},
            token=stack.officer(household.county_code),
            purpose=PURPOSE,
            headers={"accept": GRAPHQL_RESPONSE},
        )
    assert response.status_code == 400, response.text
    assert "data" not in response.json()
    assert calls == []


def test_a_batch_larger_than_allowed_is_refused_as_a_whole(stack: Stack) -> None:
    with stack.watching() as calls:
        response = stack.post(
            [{"query": "{ divisions { code } }"}] * 11, token=stack.officer(YINZHOU)
        )
    assert response.status_code == 400, response.text
    assert calls == []


def test_an_identity_number_of_the_wrong_type_is_a_clear_400(stack: Stack) -> None:
    response = stack.post(
        {
            "query": "query($id: ID!) { person(idNumber: $id) { name } }",
            "variables": {"id": {"$ne": None}},
        },
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert response.status_code == 400
    assert "$id" in response.json()["errors"][0]["message"]
