"""The population subgraph answers from its household register (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update
from subgraph_testkit import run_graphql

from subgraphs.common.context import MAX_BATCH
from subgraphs.common.datagen import Dataset
from subgraphs.common.identifiers import make_id_number
from subgraphs.common.sql import StatementCounter, create_engine
from subgraphs.population.schema import schema
from subgraphs.population.store import PopulationStore, person_table


async def gql(store: PopulationStore, query: str, **variables: Any) -> dict[str, Any]:
    return await run_graphql(schema, store, query, variables)


async def test_a_person_is_answered_with_register_fields_and_household(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    head = next(small_dataset.persons())
    body = await gql(
        store,
        """query($id: ID!) { person(idNumber: $id) {
            idNumber name gender birthDate ethnicity phone registeredAddress relationToHead alive
            registeredCounty { code name } household { householdNumber kind head { idNumber } }
        } }""",
        id=head.id_number,
    )
    assert body == {
        "data": {
            "person": {
                "idNumber": head.id_number,
                "name": head.name,
                "gender": head.gender,
                "birthDate": head.birth_date,
                "ethnicity": head.ethnicity,
                "phone": head.phone or None,
                "registeredAddress": head.registered_address,
                "relationToHead": "HEAD",
                "alive": True,
                "registeredCounty": {"code": "211202", "name": "银州区"},
                "household": {
                    "householdNumber": head.household_number,
                    "kind": "FAMILY",
                    "head": {"idNumber": head.id_number},
                },
            }
        }
    }


async def test_a_household_lists_its_members_head_first(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    household = next(small_dataset.households())
    members = [
        p for p in small_dataset.persons() if p.household_number == household.household_number
    ]
    body = await gql(
        store,
        "query($n: ID!) { household(householdNumber: $n) { county { code } address members { idNumber relationToHead } } }",
        n=household.household_number,
    )
    got = body["data"]["household"]
    assert got["county"] == {"code": household.county_code}
    assert got["address"] == household.address
    assert got["members"][0] == {"idNumber": household.head_id_number, "relationToHead": "HEAD"}
    assert sorted(m["idNumber"] for m in got["members"]) == sorted(p.id_number for p in members)


async def test_unknown_person_and_household_are_null(store: PopulationStore) -> None:
    body = await gql(
        store,
        '{ person(idNumber: "11010519491231002X") { name } household(householdNumber: "0") { kind } }',
    )
    assert body == {"data": {"person": None, "household": None}}


async def test_persons_of_a_county_are_paged_by_opaque_cursor_without_overlap(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    expected = sorted(p.id_number for p in small_dataset.persons() if p.county_code == "211204")
    query = """query($after: String) { persons(county: "211204", first: 8, after: $after) {
        nodes { idNumber registeredCounty { code } } pageInfo { hasNextPage endCursor } totalCount } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await gql(store, query, after=after))["data"]["persons"]
        assert page["totalCount"] == len(expected) == 20
        assert {n["registeredCounty"]["code"] for n in page["nodes"]} <= {"211204"}
        seen += [n["idNumber"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_households_default_to_twenty_per_page_over_all_counties(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    body = await gql(
        store, "{ households { nodes { householdNumber } totalCount pageInfo { hasNextPage } } }"
    )
    page = body["data"]["households"]
    assert len(page["nodes"]) == 20
    assert page["totalCount"] == sum(1 for _ in small_dataset.households())
    assert page["pageInfo"]["hasNextPage"] is True


async def test_divisions_are_the_seven_tieling_divisions(store: PopulationStore) -> None:
    body = await gql(store, "{ divisions { code name } }")
    assert body["data"]["divisions"][0] == {"code": "211202", "name": "银州区"}
    assert len(body["data"]["divisions"]) == 7


async def test_fifty_person_representations_cost_one_store_query(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    ids = [*[p.id_number for p in small_dataset.persons()][:49], "11010519491231002X"]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber name } } }",
            r=[{"__typename": "Person", "idNumber": i} for i in ids],
        )
    finally:
        counter.close()
    entities = body["data"]["_entities"]
    assert [e["idNumber"] for e in entities[:49]] == ids[:49]
    assert entities[49] is None  # unknown entity
    assert counter.count == 1


async def test_household_representations_with_members_cost_one_query_per_type(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    numbers = [h.household_number for h in small_dataset.households()][:30]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { members { name } } } }",
            r=[{"__typename": "Household", "householdNumber": n} for n in numbers],
        )
    finally:
        counter.close()
    assert all(e["members"] for e in body["data"]["_entities"])
    assert counter.count == 2  # households, then all their members


async def test_an_invalid_identity_number_is_refused_naming_argument_and_rule(
    store: PopulationStore,
) -> None:
    body = await gql(store, '{ person(idNumber: "211202198001010018") { name } }')
    assert body["data"] == {"person": None}
    assert body["errors"] == [
        {
            "message": 'Invalid argument "idNumber": check character does not match (GB 11643-1999)',
            "locations": [{"line": 1, "column": 3}],
            "path": ["person"],
            "extensions": {
                "code": "BAD_USER_INPUT",
                "rule": "GB 11643-1999 resident identity number",
                "argument": "idNumber",
            },
        }
    ]


async def test_an_unknown_county_page_size_or_cursor_is_refused(store: PopulationStore) -> None:
    county = await gql(store, '{ persons(county: "210000") { totalCount } }')
    assert county["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "rule": "Tieling county-level division code",
        "argument": "county",
    }
    assert county["errors"][0]["message"].startswith(
        "Invalid argument \"county\": '210000' is not a Tieling county-level division code"
    )
    size = await gql(store, "{ households(first: 101) { totalCount } }")
    assert (
        size["errors"][0]["message"]
        == 'Invalid argument "first": must be between 0 and 100, got 101'
    )
    cursor = await gql(store, '{ persons(after: "bm9wZQ==") { totalCount } }')
    assert cursor["errors"][0]["extensions"]["argument"] == "after"
    assert cursor["errors"][0]["path"] == ["persons"]


async def test_update_phone_is_persisted_in_the_register(
    store: PopulationStore, population_url: str, small_dataset: Dataset
) -> None:
    person = [p for p in small_dataset.persons() if p.county_code == "211281"][3]
    body = await gql(
        store,
        'mutation($id: ID!) { updatePhone(idNumber: $id, phone: "13904101234") { idNumber phone } }',
        id=person.id_number,
    )
    assert body == {"data": {"updatePhone": {"idNumber": person.id_number, "phone": "13904101234"}}}
    engine = create_engine(population_url)
    try:
        (reread,) = await PopulationStore(engine).persons_by_id([person.id_number])
    finally:
        await engine.dispose()
    assert reread is not None and reread.phone == "13904101234"


async def test_update_phone_refuses_bad_phones_unknown_and_deceased_persons(
    store: PopulationStore, small_dataset: Dataset
) -> None:
    person = [p for p in small_dataset.persons() if p.county_code == "211281"][4]
    mutation = "mutation($id: ID!, $phone: String!) { updatePhone(idNumber: $id, phone: $phone) { phone } }"
    bad = await gql(store, mutation, id=person.id_number, phone="12345")
    assert bad["errors"][0]["message"] == (
        "Invalid argument \"phone\": '12345' is not a mainland mobile number or a landline with area code"
    )
    assert bad["errors"][0]["path"] == ["updatePhone"]
    unknown = await gql(store, mutation, id="11010519491231002X", phone="13904101234")
    assert unknown["errors"][0]["extensions"] == {
        "code": "NOT_FOUND",
        "rule": "must exist",
        "argument": "idNumber",
    }
    async with store.engine.begin() as conn:
        await conn.execute(
            update(person_table).where(person_table.c.gmsfhm == person.id_number).values(ryzt="1")
        )
    deceased = await gql(store, mutation, id=person.id_number, phone="13904101234")
    assert deceased["errors"][0]["extensions"]["rule"] == "person must be alive"


async def test_a_huge_batch_is_split_to_stay_under_database_parameter_limits(
    store: PopulationStore,
) -> None:
    born = date(1950, 1, 1)
    ids = [
        make_id_number("211221", born + timedelta(days=i // 400), i % 400, male=True)
        for i in range(MAX_BATCH + 500)
    ]
    counter = StatementCounter(store.engine)
    try:
        body = await gql(
            store,
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name } } }",
            r=[{"__typename": "Person", "idNumber": i} for i in ids],
        )
    finally:
        counter.close()
    assert len(body["data"]["_entities"]) == MAX_BATCH + 500
    assert counter.count == 2
