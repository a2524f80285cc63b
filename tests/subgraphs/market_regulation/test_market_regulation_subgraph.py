"""The market_regulation subgraph answers from the enterprise register (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from subgraph_testkit import run_graphql

from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import StatementCounter, create_engine
from subgraphs.market_regulation.schema import schema
from subgraphs.market_regulation.store import MarketRegulationStore

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { %s } }"
UNKNOWN_CODE = "912112021234567880"  # valid, not registered


async def gql(store: MarketRegulationStore, query: str, **variables: Any) -> dict[str, Any]:
    return await run_graphql(schema, store, query, variables)


async def test_an_enterprise_is_answered_with_its_register_fields_and_penalties(
    store: MarketRegulationStore, small_dataset: Dataset
) -> None:
    penalty = next(small_dataset.penalties())
    e = next(x for x in small_dataset.enterprises() if x.credit_code == penalty.credit_code)
    body = await gql(
        store,
        """query($c: ID!) { enterprise(creditCode: $c) { creditCode name organisationType
            legalRepresentative { idNumber } registeredCapital establishedOn businessScope
            county { code name } address licenceStatus
            penalties { decisionNumber decidedOn reason fineAmount authority } } }""",
        c=e.credit_code,
    )
    got = body["data"]["enterprise"]
    assert got["legalRepresentative"] == {"idNumber": e.legal_representative_id_number}
    assert (got["name"], got["organisationType"], got["licenceStatus"]) == (
        e.name,
        e.organisation_type,
        e.licence_status,
    )
    assert got["registeredCapital"] == e.registered_capital
    assert got["county"]["code"] == e.county_code
    assert got["penalties"][0] == {
        "decisionNumber": penalty.decision_number,
        "decidedOn": penalty.decided_on,
        "reason": penalty.reason,
        "fineAmount": penalty.fine_amount,
        "authority": penalty.authority,
    }


async def test_an_unknown_enterprise_is_null_and_a_bad_code_is_refused(
    store: MarketRegulationStore,
) -> None:
    unknown = await gql(
        store, "query($c: ID!) { enterprise(creditCode: $c) { name } }", c=UNKNOWN_CODE
    )
    assert unknown == {"data": {"enterprise": None}}
    bad = await gql(store, '{ enterprise(creditCode: "912112021234567881") { name } }')
    assert bad["errors"] == [
        {
            "message": 'Invalid argument "creditCode": check character does not match (GB 32100-2015)',
            "locations": [{"line": 1, "column": 3}],
            "path": ["enterprise"],
            "extensions": {
                "code": "BAD_USER_INPUT",
                "rule": "GB 32100-2015 unified social credit code",
                "argument": "creditCode",
            },
        }
    ]


async def test_enterprises_filter_by_county_status_and_name_and_page(
    store: MarketRegulationStore, small_dataset: Dataset
) -> None:
    changtu = sorted(
        e.credit_code
        for e in small_dataset.enterprises()
        if e.county_code == "211224" and e.licence_status == "ACTIVE"
    )
    query = """query($a: String) { enterprises(county: "211224", licenceStatus: ACTIVE, first: 2, after: $a) {
        nodes { creditCode } totalCount pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await gql(store, query, a=after))["data"]["enterprises"]
        assert page["totalCount"] == len(changtu)
        seen += [n["creditCode"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == changtu
    word = "医药"
    named = await gql(
        store, "query($w: String) { enterprises(nameContains: $w) { nodes { name } } }", w=word
    )
    expected = sorted(e.name for e in small_dataset.enterprises() if word in e.name)
    assert sorted(n["name"] for n in named["data"]["enterprises"]["nodes"]) == expected
    percent = await gql(store, '{ enterprises(nameContains: "%") { totalCount } }')
    assert percent["data"]["enterprises"]["totalCount"] == 0  # LIKE wildcards are escaped


async def test_bad_filters_are_refused_naming_the_argument(store: MarketRegulationStore) -> None:
    county = await gql(store, '{ enterprises(county: "211200") { totalCount } }')
    assert county["errors"][0]["extensions"]["argument"] == "county"
    blank = await gql(store, '{ enterprises(nameContains: "  ") { totalCount } }')
    assert blank["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "rule": "1 to 50 characters",
        "argument": "nameContains",
    }


async def test_fifty_enterprise_representations_cost_one_store_query(
    store: MarketRegulationStore, small_dataset: Dataset
) -> None:
    codes = [e.credit_code for e in small_dataset.enterprises()]
    codes += [UNKNOWN_CODE] * (50 - len(codes))
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            ENTITIES % "... on Enterprise { creditCode name }",
            r=[{"__typename": "Enterprise", "creditCode": c} for c in codes],
        )
    finally:
        counter.close()
    entities = body["data"]["_entities"]
    assert [e["creditCode"] for e in entities if e] == [
        e.credit_code for e in small_dataset.enterprises()
    ]
    assert entities[-1] is None
    assert counter.count == 1


async def test_fifty_persons_represented_enterprises_cost_one_store_query(
    store: MarketRegulationStore, small_dataset: Dataset
) -> None:
    representatives = [e.legal_representative_id_number for e in small_dataset.enterprises()]
    others = [p.id_number for p in small_dataset.persons() if p.id_number not in representatives]
    ids = representatives + others[: 50 - len(representatives)]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            ENTITIES
            % "... on Person { idNumber representedEnterprises { creditCode legalRepresentative { idNumber } } }",
            r=[{"__typename": "Person", "idNumber": i} for i in ids],
        )
    finally:
        counter.close()
    entities = body["data"]["_entities"]
    first = entities[0]
    assert first["representedEnterprises"][0]["legalRepresentative"] == {"idNumber": ids[0]}
    assert entities[-1]["representedEnterprises"] == []
    assert counter.count == 1


async def test_a_recorded_penalty_is_persisted_with_the_county_authority(
    store: MarketRegulationStore, market_regulation_url: str, small_dataset: Dataset
) -> None:
    e = next(x for x in small_dataset.enterprises() if x.county_code == "211282")
    body = await gql(
        store,
        """mutation($c: ID!) { recordPenalty(creditCode: $c, reason: "销售过期食品", fineAmount: 3000) {
            decisionNumber reason fineAmount authority decidedOn } }""",
        c=e.credit_code,
    )
    penalty = body["data"]["recordPenalty"]
    assert (penalty["reason"], penalty["fineAmount"], penalty["authority"]) == (
        "销售过期食品",
        3000.0,
        "开原市市场监督管理局",
    )
    engine = create_engine(market_regulation_url)
    try:
        (penalties,) = await MarketRegulationStore(engine).penalties_by_enterprise([e.credit_code])
    finally:
        await engine.dispose()
    assert penalty["decisionNumber"] in [p.decision_number for p in penalties]


async def test_a_penalty_needs_a_reason_a_positive_fine_and_a_registered_enterprise(
    store: MarketRegulationStore, small_dataset: Dataset
) -> None:
    code = next(small_dataset.enterprises()).credit_code
    mutation = "mutation($c: ID!, $r: String!, $f: Float!) { recordPenalty(creditCode: $c, reason: $r, fineAmount: $f) { reason } }"
    fine = await gql(store, mutation, c=code, r="虚假宣传", f=0.0)
    assert fine["errors"][0]["message"] == (
        'Invalid argument "fineAmount": must be positive and at most 100,000,000 yuan'
    )
    reason = await gql(store, mutation, c=code, r=" ", f=10.0)
    assert reason["errors"][0]["extensions"]["argument"] == "reason"
    unknown = await gql(store, mutation, c=UNKNOWN_CODE, r="虚假宣传", f=10.0)
    assert unknown["errors"][0]["extensions"] == {
        "code": "NOT_FOUND",
        "rule": "must exist",
        "argument": "creditCode",
    }


async def test_licence_status_changes_follow_the_transition_rules_and_persist(
    store: MarketRegulationStore, market_regulation_url: str, small_dataset: Dataset
) -> None:
    e = next(
        x
        for x in small_dataset.enterprises()
        if x.county_code == "211221" and x.licence_status == "ACTIVE"
    )
    mutation = "mutation($c: ID!, $s: LicenceStatus!) { changeLicenceStatus(creditCode: $c, status: $s) { licenceStatus } }"
    suspended = await gql(store, mutation, c=e.credit_code, s="SUSPENDED")
    assert suspended == {"data": {"changeLicenceStatus": {"licenceStatus": "SUSPENDED"}}}
    cancelled = await gql(store, mutation, c=e.credit_code, s="CANCELLED")
    assert cancelled == {"data": {"changeLicenceStatus": {"licenceStatus": "CANCELLED"}}}
    engine = create_engine(market_regulation_url)
    try:
        (reread,) = await MarketRegulationStore(engine).enterprises_by_code([e.credit_code])
    finally:
        await engine.dispose()
    assert reread is not None and reread.licence_status == "CANCELLED"
    revived = await gql(store, mutation, c=e.credit_code, s="ACTIVE")
    assert revived["errors"][0]["message"] == (
        f"Licence of {e.credit_code} is CANCELLED; ACTIVE can only be reached from SUSPENDED"
    )
    assert revived["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "rule": "licence status transition",
        "argument": "status",
    }
