"""The civil_affairs subgraph answers from its own database (SQLite and MariaDB)."""

from __future__ import annotations

from typing import Any

from subgraph_testkit import run_graphql

from gateway.policy.signing import SignedCaller
from subgraphs.civil_affairs.schema import schema
from subgraphs.civil_affairs.store import CivilAffairsStore
from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import StatementCounter, create_engine

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { %s } }"


async def gql(store: CivilAffairsStore, query: str, **variables: Any) -> dict[str, Any]:
    return await run_graphql(schema, store, query, variables)


def person_reps(*ids: str) -> list[dict[str, str]]:
    return [{"__typename": "Person", "idNumber": i} for i in ids]


async def test_marital_status_follows_the_latest_registration(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    divorce = next(m for m in small_dataset.marriages() if m.kind == "DIVORCE")
    marriage = next(m for m in small_dataset.marriages() if m.kind == "MARRIAGE")
    single = "11010519491231002X"
    body = await gql(
        store,
        ENTITIES
        % "... on Person { idNumber maritalStatus marriages { kind partyA { idNumber } } }",
        r=person_reps(divorce.party_a_id_number, marriage.party_b_id_number, single),
    )
    divorced, married, nobody = body["data"]["_entities"]
    assert divorced["maritalStatus"] == "DIVORCED"
    assert [m["kind"] for m in divorced["marriages"]] == ["MARRIAGE", "DIVORCE"]
    assert married["maritalStatus"] == "MARRIED"
    assert married["marriages"][0]["partyA"] == {"idNumber": marriage.party_a_id_number}
    assert nobody == {"idNumber": single, "maritalStatus": "SINGLE", "marriages": []}


async def test_an_invalid_person_representation_resolves_to_null(store: CivilAffairsStore) -> None:
    body = await gql(store, ENTITIES % "... on Person { idNumber }", r=person_reps("not-an-id"))
    assert body == {"data": {"_entities": [None]}}


async def test_fifty_persons_marriages_cost_one_store_query(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    ids = [p.id_number for p in small_dataset.persons()][:50]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            ENTITIES % "... on Person { maritalStatus marriages { registrationNumber } }",
            r=person_reps(*ids),
        )
    finally:
        counter.close()
    assert len(body["data"]["_entities"]) == 50
    assert counter.count == 1


async def test_fifty_dibao_case_representations_cost_one_store_query(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    numbers = [c.case_number for c in small_dataset.dibao_cases()]
    numbers += [f"DB-UNKNOWN-{i}" for i in range(50 - len(numbers))]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            ENTITIES % "... on DibaoCase { caseNumber status applicant { idNumber } }",
            r=[{"__typename": "DibaoCase", "caseNumber": n} for n in numbers],
        )
    finally:
        counter.close()
    found = [e for e in body["data"]["_entities"] if e is not None]
    assert len(found) == sum(1 for _ in small_dataset.dibao_cases())
    assert body["data"]["_entities"][-1] is None  # unknown case
    assert counter.count == 1


async def test_a_household_lists_its_dibao_cases(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    case = next(small_dataset.dibao_cases())
    body = await gql(
        store,
        ENTITIES
        % "... on Household { dibaoCases { caseNumber county { code } household { householdNumber } } }",
        r=[{"__typename": "Household", "householdNumber": case.household_number}],
    )
    assert body["data"]["_entities"][0]["dibaoCases"][0] == {
        "caseNumber": case.case_number,
        "county": {"code": case.county_code},
        "household": {"householdNumber": case.household_number},
    }


async def test_an_elderly_persons_subsidies_are_listed(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    subsidy = next(small_dataset.elderly_subsidies())
    body = await gql(
        store,
        ENTITIES % "... on Person { elderlySubsidies { subsidyNumber kind monthlyAmount since } }",
        r=person_reps(subsidy.id_number),
    )
    assert {
        "subsidyNumber": subsidy.subsidy_number,
        "kind": subsidy.kind,
        "monthlyAmount": subsidy.monthly_amount,
        "since": subsidy.since,
    } in body["data"]["_entities"][0]["elderlySubsidies"]


async def test_dibao_cases_filter_by_county_and_status_and_page(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    approved = sorted(c.case_number for c in small_dataset.dibao_cases() if c.status == "APPROVED")
    body = await gql(
        store,
        "{ dibaoCases(status: APPROVED, first: 2) { nodes { caseNumber status } totalCount pageInfo { hasNextPage endCursor } } }",
    )
    page = body["data"]["dibaoCases"]
    assert page["totalCount"] == len(approved)
    assert [n["caseNumber"] for n in page["nodes"]] == approved[:2]
    rest = await gql(
        store,
        "query($a: String) { dibaoCases(status: APPROVED, after: $a) { nodes { caseNumber } } }",
        a=page["pageInfo"]["endCursor"],
    )
    assert [n["caseNumber"] for n in rest["data"]["dibaoCases"]["nodes"]] == approved[2:]
    county = await gql(store, '{ dibaoCases(county: "211224") { totalCount } }')
    assert county["data"]["dibaoCases"]["totalCount"] == sum(
        1 for c in small_dataset.dibao_cases() if c.county_code == "211224"
    )


async def test_a_marriage_registration_is_found_by_number(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    m = next(small_dataset.marriages())
    body = await gql(
        store,
        "query($n: ID!) { marriageRegistration(registrationNumber: $n) { kind registeredOn office { name } partyB { idNumber } } }",
        n=m.registration_number,
    )
    assert body["data"]["marriageRegistration"] == {
        "kind": "MARRIAGE",
        "registeredOn": m.registered_on,
        "office": {"name": "银州区"},
        "partyB": {"idNumber": m.party_b_id_number},
    }
    unknown = await gql(store, '{ marriageRegistration(registrationNumber: "J0") { kind } }')
    assert unknown == {"data": {"marriageRegistration": None}}


async def test_an_unknown_county_is_refused_naming_the_argument(store: CivilAffairsStore) -> None:
    body = await gql(store, '{ dibaoCases(county: "211299") { totalCount } }')
    (error,) = body["errors"]
    assert error["path"] == ["dibaoCases"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "rule": "Tieling county-level division code",
        "argument": "county",
    }


APPLY = """mutation($a: ID!, $h: ID!) { applyForDibao(applicantIdNumber: $a, householdNumber: $h) {
    caseNumber status county { code } applicant { idNumber } household { householdNumber } } }"""
DECIDE = """mutation($c: ID!, $d: DibaoDecision!, $m: Float, $n: String!) {
    decideDibaoCase(caseNumber: $c, decision: $d, monthlyAmount: $m, note: $n) {
        status monthlyAmount decisionNote decidedOn } }"""


async def test_an_application_is_persisted_pending_and_a_second_one_conflicts(
    store: CivilAffairsStore, civil_affairs_url: str, small_dataset: Dataset
) -> None:
    household = [h for h in small_dataset.households() if h.county_code == "211223"][5]
    body = await gql(store, APPLY, a=household.head_id_number, h=household.household_number)
    case = body["data"]["applyForDibao"]
    assert case["status"] == "PENDING"
    assert case["county"] == {"code": "211223"}
    assert case["household"] == {"householdNumber": household.household_number}
    engine = create_engine(civil_affairs_url)
    try:
        (reread,) = await CivilAffairsStore(engine).dibao_by_number([case["caseNumber"]])
    finally:
        await engine.dispose()
    assert reread is not None and reread.status == "PENDING"
    again = await gql(store, APPLY, a=household.head_id_number, h=household.household_number)
    assert again["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "rule": "one open dibao case per household",
        "argument": "householdNumber",
    }


async def test_an_application_with_bad_identifiers_is_refused(store: CivilAffairsStore) -> None:
    bad_id = await gql(store, APPLY, a="211223198001010018", h="211223000000001")
    assert bad_id["errors"][0]["message"] == (
        'Invalid argument "applicantIdNumber": check character does not match (GB 11643-1999)'
    )
    bad_household = await gql(store, APPLY, a="211202198001010017", h="110105000000001")
    assert bad_household["errors"][0]["extensions"]["argument"] == "householdNumber"
    assert bad_household["errors"][0]["path"] == ["applyForDibao"]


async def test_a_pending_case_is_approved_once_with_a_positive_amount(
    store: CivilAffairsStore, civil_affairs_url: str, small_dataset: Dataset
) -> None:
    household = [h for h in small_dataset.households() if h.county_code == "211282"][7]
    applied = await gql(store, APPLY, a=household.head_id_number, h=household.household_number)
    number = applied["data"]["applyForDibao"]["caseNumber"]

    no_amount = await gql(store, DECIDE, c=number, d="APPROVE", m=None, n="符合条件")
    assert no_amount["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "rule": "an approval needs a positive monthly amount",
        "argument": "monthlyAmount",
    }
    negative = await gql(store, DECIDE, c=number, d="APPROVE", m=-5.0, n="符合条件")
    assert negative["errors"][0]["extensions"]["argument"] == "monthlyAmount"

    approved = await gql(store, DECIDE, c=number, d="APPROVE", m=560.0, n="符合条件")
    decision = approved["data"]["decideDibaoCase"]
    assert (decision["status"], decision["monthlyAmount"], decision["decisionNote"]) == (
        "APPROVED",
        560.0,
        "符合条件",
    )
    engine = create_engine(civil_affairs_url)
    try:
        (reread,) = await CivilAffairsStore(engine).dibao_by_number([number])
    finally:
        await engine.dispose()
    assert reread is not None
    assert (reread.status, reread.monthly_amount) == ("APPROVED", 560.0)

    twice = await gql(store, DECIDE, c=number, d="REJECT", m=None, n="复核")
    assert twice["errors"][0]["message"] == (
        f"Dibao case {number} is APPROVED; only PENDING cases can be decided"
    )
    assert (
        twice["errors"][0]["extensions"]["rule"] == "only PENDING cases can be approved or rejected"
    )


async def test_a_rejection_carries_no_amount_and_unknown_cases_are_not_found(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    pending = next(c for c in small_dataset.dibao_cases() if c.status == "PENDING")
    with_amount = await gql(store, DECIDE, c=pending.case_number, d="REJECT", m=100.0, n="不符")
    assert with_amount["errors"][0]["extensions"]["rule"] == "a rejection carries no amount"
    blank = await gql(store, DECIDE, c=pending.case_number, d="REJECT", m=None, n="  ")
    assert blank["errors"][0]["extensions"]["argument"] == "note"
    unknown = await gql(store, DECIDE, c="DB000", d="REJECT", m=None, n="不符")
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_resident_signed_in_as_themselves_applies_only_in_their_own_name(
    store: CivilAffairsStore, small_dataset: Dataset
) -> None:
    households = [h for h in small_dataset.households() if h.county_code == "211221"]
    mine, theirs = households[8], households[9]
    me = SignedCaller(subject=mine.head_id_number, client_id="portal", purpose=None, issued_at=0)
    variables = {"a": theirs.head_id_number, "h": theirs.household_number}
    refused = await run_graphql(schema, store, APPLY, variables, caller=me)
    assert refused["errors"][0]["extensions"] == {
        "code": "FORBIDDEN",
        "rule": "a resident applies only in their own name",
        "argument": "applicantIdNumber",
    }
    assert await store.open_case(theirs.household_number) is None
    own = {"a": mine.head_id_number, "h": mine.household_number}
    accepted = await run_graphql(schema, store, APPLY, own, caller=me)
    assert accepted["data"]["applyForDibao"]["status"] == "PENDING"
    elsewhere = SignedCaller(
        subject="officer-0003",
        client_id="hall",
        purpose="DB-1",
        issued_at=0,
        kind="user",
        county="211202",
        scopes=frozenset({"civil_affairs:officer"}),
    )
    other_county = await run_graphql(schema, store, APPLY, variables, caller=elsewhere)
    assert other_county["errors"][0]["extensions"]["rule"] == "an officer files in their own county"
    officer = SignedCaller(
        subject="officer-0007",
        client_id="hall",
        purpose="DB-1",
        issued_at=0,
        kind="user",
        county="211221",
        scopes=frozenset({"civil_affairs:officer"}),
    )
    on_behalf = await run_graphql(schema, store, APPLY, variables, caller=officer)
    assert on_behalf["data"]["applyForDibao"]["applicant"] == {"idNumber": theirs.head_id_number}
