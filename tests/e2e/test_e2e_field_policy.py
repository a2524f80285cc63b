"""Spec and attack suite: field- and row-level policy through real HTTP.

Callers are a Yinzhou District (211202) civil-affairs officer, a Qinghe District (211204)
one, citizens, market-supervision staff and the provincial exchange platform. The rules
are the demo policies in policies/. A denied field is null with an error at its path and
a stable code, and the department that owns it is never asked for it; no query shape
(aliases, fragments, directives, other paths, batches) changes that.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from typing import Any

import pytest
from e2e_stack import Stack

from subgraphs.common.identifiers import make_id_number
from subgraphs.common.records import EnterpriseRecord, PersonRecord, PropertyRecord

YINZHOU, QINGHE = "211202", "211204"
PURPOSE = "DB-2026-0007"
EXCHANGE_ID, EXCHANGE_SECRET = "liaoning-exchange", "dev-liaoning-exchange-secret"


# --- the data the specs talk about -------------------------------------------------


def yinzhou_enterprise(stack: Stack) -> EnterpriseRecord:
    """An enterprise of Yinzhou whose legal representative is registered in Yinzhou."""
    return next(
        e
        for e in sorted(stack.truth.enterprises.values(), key=lambda e: e.credit_code)
        if e.county_code == YINZHOU
        and stack.truth.persons[e.legal_representative_id_number].county_code == YINZHOU
    )


def qinghe_enterprise(stack: Stack) -> EnterpriseRecord:
    return next(
        e
        for e in sorted(stack.truth.enterprises.values(), key=lambda e: e.credit_code)
        if stack.truth.persons[e.legal_representative_id_number].county_code == QINGHE
    )


def property_of_an_enterprise(stack: Stack, county: str) -> PropertyRecord:
    return next(
        p
        for p in sorted(stack.truth.all_properties.values(), key=lambda p: p.certificate_number)
        if p.county_code == county and any(o.owner_kind == "ENTERPRISE" for o in p.owners)
    )


def property_of_a_person(stack: Stack, county: str) -> PropertyRecord:
    return next(
        p
        for p in sorted(stack.truth.all_properties.values(), key=lambda p: p.certificate_number)
        if p.county_code == county
        and p.owners
        and all(
            o.owner_kind == "PERSON" and stack.truth.persons[o.owner_id].county_code == county
            for o in p.owners
        )
    )


def yinzhou_resident(stack: Stack) -> PersonRecord:
    return stack.truth.resident_of(YINZHOU)


def qinghe_resident(stack: Stack) -> PersonRecord:
    return stack.truth.resident_of(QINGHE)


# --- assertions in domain terms --------------------------------------------------------


def errors_of(body: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(e.get("extensions", {}).get("code"), e.get("path")) for e in body.get("errors", [])]


def assert_denied(body: dict[str, Any], code: str, path: list[Any], what: str) -> None:
    assert (code, path) in errors_of(body), (
        f"{what}: expected {code} at {path}, got errors {errors_of(body)} and data {body.get('data')}"
    )


def asked(calls: list[Any], department: str) -> str:
    return " ".join(c.query for c in calls if c.subgraph == department)


# --- a field nobody granted --------------------------------------------------------------


def test_a_field_not_granted_is_null_with_a_coded_error_and_never_asked_of_its_department(
    stack: Stack,
) -> None:
    enterprise = yinzhou_enterprise(stack)
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ name penalties {{ reason }} }} }}',
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
        )
    error = next(e for e in body["errors"] if e["path"] == ["enterprise", "penalties"])
    assert error["extensions"] == {
        "code": "UNAUTHORIZED_FIELD_OR_TYPE",
        "coordinate": "Enterprise.penalties",
    }
    # penalties is [AdministrativePenalty!]!: its null makes the enterprise null (GraphQL).
    assert body["data"] == {"enterprise": None}
    assert "penalties" not in asked(calls, "market_regulation"), (
        "the Market Supervision Administration was asked for penalties nobody granted"
    )


def test_a_field_granted_to_market_staff_is_released_to_them(stack: Stack) -> None:
    enterprise = yinzhou_enterprise(stack)
    body = stack.ask(
        f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ name penalties {{ reason }} }} }}',
        token=stack.issuer.mint_user_token("market-0001", ["market:penalties"]),
    )
    assert "errors" not in body, body
    assert body["data"]["enterprise"]["name"] == enterprise.name


# --- bypass shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "query", "path"),
    [
        (
            "an alias",
            '{ enterprise(creditCode: "CC") { name fines: penalties { reason } } }',
            ["enterprise", "fines"],
        ),
        (
            "an alias named like a granted field",
            '{ enterprise(creditCode: "CC") { name: penalties { reason } } }',
            ["enterprise", "name"],
        ),
        (
            "a named fragment",
            'query { enterprise(creditCode: "CC") { ...Fines } }'
            " fragment Fines on Enterprise { penalties { reason } }",
            ["enterprise", "penalties"],
        ),
        (
            "an inline fragment",
            '{ enterprise(creditCode: "CC") { ... on Enterprise { penalties { reason } } } }',
            ["enterprise", "penalties"],
        ),
        (
            "a nested fragment spread twice",
            'query { a: enterprise(creditCode: "CC") { ...Outer } }'
            " fragment Outer on Enterprise { ... { ...Inner } }"
            " fragment Inner on Enterprise { penalties { decisionNumber } }",
            ["a", "penalties"],
        ),
        (
            "only __typename inside the field",
            '{ enterprise(creditCode: "CC") { penalties { __typename } } }',
            ["enterprise", "penalties"],
        ),
    ],
)
def test_no_query_shape_releases_a_field_that_was_not_granted(
    stack: Stack, shape: str, query: str, path: list[Any]
) -> None:
    enterprise = yinzhou_enterprise(stack)
    with stack.watching() as calls:
        body = stack.ask(
            query.replace("CC", enterprise.credit_code),
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
        )
    assert_denied(body, "UNAUTHORIZED_FIELD_OR_TYPE", path, f"penalties through {shape}")
    assert "penalties" not in asked(calls, "market_regulation"), f"{shape} reached the department"
    assert "reason" not in str(body.get("data")) and "decisionNumber" not in str(body.get("data"))


def test_a_fragment_on_the_property_owner_union_does_not_release_enterprise_penalties(
    stack: Stack,
) -> None:
    estate = property_of_an_enterprise(stack, YINZHOU)
    query = """query($cert: ID!) { property(certificateNumber: $cert) {
      owners { share owner { __typename
        ... on Enterprise { name penalties { reason fineAmount } }
        ... on Person { name } } } } }"""
    with stack.watching() as calls:
        body = stack.ask(
            query,
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
            variables={"cert": estate.certificate_number},
        )
    codes = [code for code, _ in errors_of(body)]
    assert "UNAUTHORIZED_FIELD_OR_TYPE" in codes, f"penalties through the union: {body}"
    assert any(
        e.get("extensions", {}).get("coordinate") == "Enterprise.penalties" for e in body["errors"]
    )
    assert "fineAmount" not in str(body.get("data"))
    assert "penalties" not in asked(calls, "market_regulation")


def test_without_the_denied_field_the_union_fragment_answers_normally(stack: Stack) -> None:
    estate = property_of_an_enterprise(stack, YINZHOU)
    owner = next(o for o in estate.owners if o.owner_kind == "ENTERPRISE")
    query = """query($cert: ID!) { property(certificateNumber: $cert) {
      owners { share owner { __typename ... on Enterprise { name creditCode } } } } }"""
    body = stack.ask(
        query,
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
        variables={"cert": estate.certificate_number},
    )
    assert "errors" not in body, body
    owners = body["data"]["property"]["owners"]
    assert {
        "__typename": "Enterprise",
        "name": stack.truth.enterprises[owner.owner_id].name,
        "creditCode": owner.owner_id,
    } in [o["owner"] for o in owners]


def test_the_department_graph_has_no_interface_to_probe(stack: Stack) -> None:
    """Interfaces follow their implementations (policies/README.md); today there are none.
    When a department adds one, extend the bypass specs above with a fragment on it."""
    body = stack.ask(
        "{ __schema { types { name kind } } }",
        token=stack.officer(YINZHOU),
    )
    interfaces = [
        t["name"]
        for t in body["data"]["__schema"]["types"]
        if t["kind"] == "INTERFACE" and not t["name"].startswith("__")
    ]
    assert interfaces == [], f"new interfaces {interfaces}: add fragment bypass specs for them"


@pytest.mark.parametrize(
    ("shape", "variables"),
    [
        ("penalties @include(if: $flag) { reason }", {"flag": True}),
        ("penalties @skip(if: $flag) { reason }", {"flag": False}),
        ("... @include(if: $flag) { penalties { reason } }", {"flag": True}),
        ("...Fines @skip(if: $flag)", {"flag": False}),
    ],
    ids=[
        "@include on the field",
        "@skip on the field",
        "@include on a fragment",
        "@skip on a spread",
    ],
)
def test_include_and_skip_driven_by_variables_do_not_release_a_denied_field(
    stack: Stack, shape: str, variables: dict[str, Any]
) -> None:
    enterprise = yinzhou_enterprise(stack)
    query = f"""query($cc: ID!, $flag: Boolean!) {{ enterprise(creditCode: $cc) {{
      name {shape} }} }}"""
    if "...Fines" in shape:
        query += " fragment Fines on Enterprise { penalties { reason } }"
    with stack.watching() as calls:
        body = stack.ask(
            query,
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
            variables={"cc": enterprise.credit_code, **variables},
        )
    assert_denied(body, "UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"], shape)
    assert "penalties" not in asked(calls, "market_regulation")


def test_a_skipped_denied_field_leaves_the_rest_of_the_answer_intact(stack: Stack) -> None:
    enterprise = yinzhou_enterprise(stack)
    body = stack.ask(
        "query($cc: ID!, $flag: Boolean!) { enterprise(creditCode: $cc) {"
        " name penalties @include(if: $flag) { reason } } }",
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
        variables={"cc": enterprise.credit_code, "flag": False},
    )
    assert body["data"] == {"enterprise": {"name": enterprise.name}}


def test_a_person_of_another_county_stays_hidden_behind_enterprise_legal_representative(
    stack: Stack,
) -> None:
    enterprise = qinghe_enterprise(stack)
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ name legalRepresentative {{ name phone }} }} }}',
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
        )
    assert_denied(
        body, "UNAUTHORIZED_ROW", ["enterprise", "legalRepresentative"], "Qinghe representative"
    )
    representative = stack.truth.persons[enterprise.legal_representative_id_number]
    assert representative.phone[-4:] not in str(body.get("data"))
    assert body["data"] == {"enterprise": None}, "legalRepresentative is Person!: null bubbles"
    assert calls, "the gateway did ask (it needs the row's county to decide)"


def test_a_person_of_another_county_stays_hidden_behind_property_owners(stack: Stack) -> None:
    estate = property_of_a_person(stack, QINGHE)
    # Registration staff may read every property; the owner is a person, ruled by population.
    officer = stack.officer(YINZHOU, scopes=("civil_affairs:officer", "real_estate:read"))
    body = stack.ask(
        """query($cert: ID!) { property(certificateNumber: $cert) { certificateNumber
          owners { share owner { ... on Person { name phone } } } } }""",
        token=officer,
        purpose=PURPOSE,
        variables={"cert": estate.certificate_number},
    )
    codes = errors_of(body)
    assert any(
        code == "UNAUTHORIZED_ROW" and path[:2] == ["property", "owners"] for code, path in codes
    ), f"a Qinghe owner reached through Property.owners was not withheld: {body}"
    for owner in estate.owners:
        person = stack.truth.persons[owner.owner_id]
        assert person.name[1:] not in str(body.get("data")) or len(person.name) == 1


def test_a_household_of_another_county_is_null_with_its_members(stack: Stack) -> None:
    household = next(h for h in stack.truth.households.values() if h.county_code == QINGHE)
    body = stack.ask(
        f'{{ household(householdNumber: "{household.household_number}") {{ members {{ name }} }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert body["data"] == {"household": None}
    assert_denied(body, "UNAUTHORIZED_ROW", ["household"], "a Qinghe household")


def test_a_join_key_the_caller_may_not_read_is_used_but_never_returned(stack: Stack) -> None:
    enterprise = yinzhou_enterprise(stack)
    representative = enterprise.legal_representative_id_number
    # Real-estate registration staff may read Person.properties, not Person.idNumber.
    registrar = stack.issuer.mint_user_token("registrar-0001", ["real_estate:read"])
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{'
            " legalRepresentative { properties { certificateNumber } } } }",
            token=registrar,
            purpose=PURPOSE,
        )
    assert "errors" not in body, body
    assert sorted(
        p["certificateNumber"]
        for p in body["data"]["enterprise"]["legalRepresentative"]["properties"]
    ) == sorted(p.certificate_number for p in stack.truth.properties[representative])
    assert any(c.subgraph == "real_estate" and representative.encode() in c.body for c in calls), (
        "the gateway joined on the representative's identity number"
    )
    assert representative not in str(body), "the identity number used for the join leaked"


def test_asking_for_the_join_key_itself_is_denied(stack: Stack) -> None:
    enterprise = yinzhou_enterprise(stack)
    market_staff = stack.issuer.mint_user_token("market-0001", ["market:penalties"])
    body = stack.ask(
        f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ name legalRepresentative {{ idNumber }} }} }}',
        token=market_staff,
        purpose=PURPOSE,
    )
    assert_denied(
        body,
        "UNAUTHORIZED_FIELD_OR_TYPE",
        ["enterprise", "legalRepresentative", "idNumber"],
        "Person.idNumber for market staff",
    )
    assert enterprise.legal_representative_id_number not in str(body)


# --- introspection and federation internals ---------------------------------------------


def test_introspection_shows_the_catalogue_but_not_the_federation_internals(
    stack: Stack,
) -> None:
    body = stack.ask("{ __schema { queryType { fields { name } } } }", token=stack.officer(YINZHOU))
    roots = {f["name"] for f in body["data"]["__schema"]["queryType"]["fields"]}
    assert {"person", "household", "enterprise", "property"} <= roots
    assert not roots & {"_entities", "_service"}, "federation internals are not part of the API"


@pytest.mark.parametrize(
    "query",
    [
        '{ _entities(representations: [{__typename: "Person", idNumber: "ID"}])'
        " { ... on Person { name phone } } }",
        "{ _service { sdl } }",
        "{ __typename _service { sdl } }",
    ],
    ids=["_entities", "_service", "_service behind __typename"],
)
def test_federation_internals_sent_to_the_gateway_are_refused(stack: Stack, query: str) -> None:
    with stack.watching() as calls:
        response = stack.post(
            {"query": query.replace("ID", yinzhou_resident(stack).id_number)},
            token=stack.officer(YINZHOU),
            purpose=PURPOSE,
            headers={"accept": "application/graphql-response+json"},
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert calls == [], "nothing of a refused operation reaches a department"


def test_a_batch_decides_each_operation_on_its_own(stack: Stack) -> None:
    enterprise = yinzhou_enterprise(stack)
    resident = qinghe_resident(stack)
    response = stack.post(
        [
            {"query": f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ name }} }}'},
            {
                "query": f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ penalties {{ reason }} }} }}'
            },
            {"query": f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}'},
        ],
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    allowed, not_granted, other_county = response.json()
    assert allowed == {"data": {"enterprise": {"name": enterprise.name}}}
    assert_denied(
        not_granted, "UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise", "penalties"], "batch item 2"
    )
    assert_denied(other_county, "UNAUTHORIZED_ROW", ["person"], "batch item 3")
    assert other_county["data"] == {"person": None}


# --- personal data and purpose -------------------------------------------------------------


def test_personal_fields_without_a_stated_purpose_are_withheld(stack: Stack) -> None:
    resident = yinzhou_resident(stack)
    log_before = len(stack.log_records())
    with stack.watching() as calls:
        body = stack.ask(
            f'{{ person(idNumber: "{resident.id_number}") {{ phone registeredCounty {{ code }} }} }}',
            token=stack.officer(YINZHOU),
        )
    assert "phone" not in asked(calls, "population"), "the withheld phone was fetched anyway"
    error = next(e for e in body["errors"] if e["path"] == ["person", "phone"])
    assert error["extensions"] == {"code": "PURPOSE_REQUIRED", "coordinate": "Person.phone"}
    assert "X-Purpose" in error["message"], "the error tells the caller how to state a purpose"
    assert body["data"] == {"person": {"phone": None, "registeredCounty": {"code": YINZHOU}}}
    assert resident.id_number not in str(stack.log_records()[log_before:]), (
        "nothing personal was released, so nobody's data was logged as read"
    )


def test_an_officer_reads_a_resident_of_their_own_county_masked(stack: Stack) -> None:
    resident = yinzhou_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ idNumber name phone registeredAddress }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert "errors" not in body, body
    person = body["data"]["person"]
    assert person["idNumber"] == f"{resident.id_number[:6]}********{resident.id_number[-4:]}"
    assert re.fullmatch(r"211202\*{8}\d{3}[\dX]", person["idNumber"])
    assert person["phone"] == f"{resident.phone[:3]}****{resident.phone[-4:]}"
    assert re.fullmatch(r"1\d{2}\*{4}\d{4}", person["phone"])
    assert person["name"] == resident.name[0] + "*" * (len(resident.name) - 1)
    assert person["registeredAddress"].endswith("****")
    assert resident.registered_address not in str(body)


def test_an_officer_with_the_identity_grant_sees_the_full_identity_number(stack: Stack) -> None:
    resident = yinzhou_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ idNumber phone }} }}',
        token=stack.officer(YINZHOU, scopes=("civil_affairs:officer", "population:identity")),
        purpose=PURPOSE,
    )
    assert body["data"]["person"]["idNumber"] == resident.id_number
    assert body["data"]["person"]["phone"].count("*") == 4, "only the identity number is unmasked"


def test_a_yinzhou_officer_asking_for_a_qinghe_resident_gets_null(stack: Stack) -> None:
    resident = qinghe_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ name phone }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    assert body["data"] == {"person": None}
    assert_denied(body, "UNAUTHORIZED_ROW", ["person"], "a Qinghe resident for Yinzhou")


def test_the_qinghe_officer_reads_the_same_resident(stack: Stack) -> None:
    resident = qinghe_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}',
        token=stack.officer(QINGHE),
        purpose=PURPOSE,
    )
    assert "errors" not in body, body
    assert body["data"]["person"]["name"].startswith(resident.name[0])


def test_a_citizen_sees_their_own_record_in_full_without_stating_a_purpose(
    stack: Stack,
) -> None:
    me = yinzhou_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{me.id_number}") {{ idNumber name phone }} }}',
        token=stack.citizen(me.id_number),
    )
    assert body == {
        "data": {"person": {"idNumber": me.id_number, "name": me.name, "phone": me.phone}}
    }


def test_a_citizen_does_not_see_a_neighbour(stack: Stack) -> None:
    me = yinzhou_resident(stack)
    neighbour = next(
        p
        for p in sorted(stack.truth.persons.values(), key=lambda p: p.id_number)
        if p.county_code == YINZHOU and p.id_number != me.id_number
    )
    body = stack.ask(
        f'{{ person(idNumber: "{neighbour.id_number}") {{ name phone }} }}',
        token=stack.citizen(me.id_number),
        purpose="curiosity",
    )
    assert body["data"] == {"person": None}
    assert_denied(body, "UNAUTHORIZED_ROW", ["person"], "a neighbour for a citizen")
    assert neighbour.name not in str(body)


def unregistered_id_number(stack: Stack) -> str:
    """A well-formed identity number of a Qinghe resident nobody registered."""
    for sequence in range(1, 999, 2):
        candidate = make_id_number(QINGHE, date(1990, 1, 1), sequence, male=True)
        if candidate not in stack.truth.persons:
            return candidate
    raise AssertionError("every sequence is registered")


def test_an_officer_without_a_county_claim_sees_no_resident_at_all(stack: Stack) -> None:
    """A missing claim never matches a row condition: fail closed."""
    resident = yinzhou_resident(stack)
    countyless = stack.issuer.mint_user_token("officer-lost", ["civil_affairs:officer"])
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}',
        token=countyless,
        purpose=PURPOSE,
    )
    assert body["data"] == {"person": None}
    assert_denied(body, "UNAUTHORIZED_ROW", ["person"], "an officer token without county")


def test_typename_alone_does_not_reveal_whether_a_neighbour_is_registered(
    stack: Stack,
) -> None:
    me = yinzhou_resident(stack)
    neighbour = qinghe_resident(stack)
    citizen = stack.citizen(me.id_number)
    registered = stack.ask(
        f'{{ person(idNumber: "{neighbour.id_number}") {{ __typename }} }}', token=citizen
    )
    unregistered = stack.ask(
        f'{{ person(idNumber: "{unregistered_id_number(stack)}") {{ __typename }} }}',
        token=citizen,
    )
    assert unregistered["data"] == {"person": None}
    assert registered["data"] == {"person": None}, (
        "a citizen can tell a registered identity number from an unregistered one: "
        f"{registered['data']} vs {unregistered['data']}"
    )


def decoded(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode(errors="replace")


def test_a_page_cursor_does_not_carry_the_identity_number_the_officer_sees_masked(
    stack: Stack,
) -> None:
    body = stack.ask(
        f'{{ persons(county: "{YINZHOU}", first: 2) {{ pageInfo {{ endCursor }} nodes {{ idNumber }} }} }}',
        token=stack.officer(YINZHOU),
        purpose=PURPOSE,
    )
    page = body["data"]["persons"]
    assert all("*" in node["idNumber"] for node in page["nodes"]), "precondition: masked"
    learned = [i for i in stack.truth.persons if i in decoded(page["pageInfo"]["endCursor"])]
    assert learned == [], f"the 'opaque' cursor hands the officer {learned} in full"


def test_a_caller_without_any_person_grant_cannot_enumerate_identity_numbers(
    stack: Stack,
) -> None:
    market_staff = stack.issuer.mint_user_token("market-0001", ["market:penalties"])
    learned: list[str] = []
    after = None
    for _ in range(3):
        body = stack.ask(
            'query($after: String) { persons(county: "211204", first: 5, after: $after) {'
            " pageInfo { endCursor } } }",
            token=market_staff,
            variables={"after": after},
        )
        if not body.get("data") or not body["data"]["persons"]:
            break
        after = body["data"]["persons"]["pageInfo"]["endCursor"]
        if after is None:
            break
        learned += [i for i in stack.truth.persons if i in decoded(after)]
    assert learned == [], (
        f"market-supervision staff collected {len(learned)} Qinghe identity numbers, e.g. "
        f"{learned[:2]}, through page cursors"
    )


# --- the provincial exchange platform (client credentials) -------------------------------


@pytest.fixture(scope="module")
def exchange(stack: Stack) -> str:
    return stack.client_token(EXCHANGE_ID, EXCHANGE_SECRET)


def test_the_provincial_platform_reads_the_enterprise_registry_without_a_purpose(
    stack: Stack, exchange: str
) -> None:
    body = stack.ask(
        "{ enterprises(first: 5) { totalCount nodes { name creditCode licenceStatus county { code } } } }",
        token=exchange,
    )
    assert "errors" not in body, body
    assert body["data"]["enterprises"]["totalCount"] == len(stack.truth.enterprises)


def test_the_provincial_platform_reads_personal_data_only_with_a_purpose(
    stack: Stack, exchange: str
) -> None:
    resident = qinghe_resident(stack)
    query = f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}'
    without = stack.ask(query, token=exchange)
    assert_denied(without, "PURPOSE_REQUIRED", ["person", "name"], "the platform without purpose")
    with_purpose = stack.ask(query, token=exchange, purpose="LN-EX-2026-118")
    assert "errors" not in with_purpose, with_purpose
    assert with_purpose["data"]["person"]["name"] is not None


def test_the_provincial_platform_sees_identity_numbers_masked(stack: Stack, exchange: str) -> None:
    resident = qinghe_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ idNumber }} }}',
        token=exchange,
        purpose="LN-EX-2026-118",
    )
    assert body["data"]["person"]["idNumber"] == (
        f"{resident.id_number[:6]}********{resident.id_number[-4:]}"
    ), "the platform holds no population:identity grant"


def test_the_provincial_platform_reads_enterprise_penalties_through_its_grant(
    stack: Stack, exchange: str
) -> None:
    enterprise = yinzhou_enterprise(stack)
    body = stack.ask(
        f'{{ enterprise(creditCode: "{enterprise.credit_code}") {{ penalties {{ reason }} }} }}',
        token=exchange,
    )
    assert "errors" not in body, body


def test_the_city_portal_client_reads_the_registry_but_nobodys_personal_data(
    stack: Stack,
) -> None:
    """Citizens reach their own data with their own tokens, never through the portal's."""
    portal = stack.client_token("tieling-portal", "dev-tieling-portal-secret")
    registry = stack.ask("{ enterprises(first: 2) { nodes { name licenceStatus } } }", token=portal)
    assert "errors" not in registry, registry
    resident = yinzhou_resident(stack)
    body = stack.ask(
        f'{{ person(idNumber: "{resident.id_number}") {{ name phone }} }}',
        token=portal,
        purpose="portal lookup",
    )
    assert body.get("data") in (None, {"person": None}), body
    assert {code for code, _ in errors_of(body)} == {"UNAUTHORIZED_FIELD_OR_TYPE"}, body
    assert resident.name not in str(body)
