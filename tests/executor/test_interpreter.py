"""Executor spec: hand-built plans against real loopback subgraphs; assert data, errors, requests.

Template::

    async def test_<sentence>(serve, fetcher):
        sg = await serve(lambda body: {"data": {...}})
        plan = QueryPlan(FetchNode("population", "{ ... }"))
        result = await Executor(fetcher, {"population": sg.url}).execute(plan, {})
        assert result.data == {...}
"""

from __future__ import annotations

import asyncio
from typing import Any

from loopback_subgraphs import entities_from

from gateway.executor import Executor
from gateway.planner.nodes import (
    ConditionNode,
    FetchNode,
    FieldSelection,
    FlattenNode,
    InlineFragmentSelection,
    KeyRenamer,
    ParallelNode,
    QueryPlan,
    SequenceNode,
    ValueSetter,
)

PERSON_KEY = (
    InlineFragmentSelection("Person", (FieldSelection("__typename"), FieldSelection("idNumber"))),
)

ENTITIES_OP = "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { marriages { kind } } } }"

HOUSEHOLD = {
    "household": {
        "householdNumber": "H1",
        "members": [
            {"__typename": "Person", "idNumber": "A", "name": "王伟"},
            {"__typename": "Person", "idNumber": "B", "name": "李娜"},
            {"__typename": "Person", "idNumber": "A", "name": "王伟"},
        ],
    }
}

MARRIAGES = {
    "Person": {
        "A": {"marriages": [{"kind": "MARRIAGE"}]},
        "B": {"marriages": []},
    }
}


def household_root() -> FetchNode:
    return FetchNode(
        "population",
        "query($h: ID!) { household(householdNumber: $h) { householdNumber members { __typename idNumber name } } }",
        variable_usages=("h",),
    )


def marriages_at(path: tuple[str, ...]) -> FlattenNode:
    return FlattenNode(path, FetchNode("civil_affairs", ENTITIES_OP, requires=PERSON_KEY))


async def test_a_root_fetch_merges_its_data_and_sends_only_the_variables_it_uses(serve, fetcher):
    population = await serve(lambda body: {"data": HOUSEHOLD})
    plan = QueryPlan(household_root())

    result = await Executor(fetcher, {"population": population.url}).execute(
        plan, {"h": "H1", "unused": 1}
    )

    assert result.data == HOUSEHOLD
    assert result.errors == []
    assert population.received == [{"query": household_root().operation, "variables": {"h": "H1"}}]


async def test_an_entity_fetch_sends_each_unique_representation_once_and_merges_into_every_copy(
    serve, fetcher
):
    population = await serve(lambda body: {"data": HOUSEHOLD})
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(SequenceNode((household_root(), marriages_at(("household", "members", "@")))))

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {"h": "H1"})

    assert civil.received[0]["variables"] == {
        "representations": [
            {"__typename": "Person", "idNumber": "A"},
            {"__typename": "Person", "idNumber": "B"},
        ]
    }
    members = result.data["household"]["members"]
    assert [m["marriages"] for m in members] == [[{"kind": "MARRIAGE"}], [], [{"kind": "MARRIAGE"}]]
    assert members[1] == {
        "__typename": "Person",
        "idNumber": "B",
        "name": "李娜",
        "marriages": [],
    }


async def test_flatten_walks_nested_lists_and_skips_nulls(serve, fetcher):
    tree = {
        "households": [
            {"members": [{"__typename": "Person", "idNumber": "A"}, None]},
            None,
            {"members": None},
            {"members": [{"__typename": "Person", "idNumber": "B"}]},
        ]
    }
    population = await serve(lambda body: {"data": tree})
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("population", "{ households { members { __typename idNumber } } }"),
                marriages_at(("households", "@", "members", "@")),
            )
        )
    )

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert [r["idNumber"] for r in civil.received[0]["variables"]["representations"]] == ["A", "B"]
    assert result.data["households"][0]["members"][0]["marriages"] == [{"kind": "MARRIAGE"}]
    assert result.data["households"][3]["members"][0]["marriages"] == []


async def test_objects_whose_key_is_null_or_missing_are_not_sent(serve, fetcher):
    tree = {
        "people": [
            {"__typename": "Person", "idNumber": None},
            {"__typename": "Person"},
            {"__typename": "Person", "idNumber": "B"},
        ]
    }
    population = await serve(lambda body: {"data": tree})
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("population", "{ people { __typename idNumber } }"),
                marriages_at(("people", "@")),
            )
        )
    )

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert civil.received[0]["variables"]["representations"] == [
        {"__typename": "Person", "idNumber": "B"}
    ]
    assert "marriages" not in result.data["people"][0]
    assert result.data["people"][2]["marriages"] == []


async def test_no_request_is_made_when_no_object_yields_a_representation(serve, fetcher):
    population = await serve(lambda body: {"data": {"people": []}})
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("population", "{ people { __typename idNumber } }"),
                marriages_at(("people", "@")),
            )
        )
    )

    await Executor(fetcher, {"population": population.url, "civil_affairs": civil.url}).execute(
        plan, {}
    )

    assert civil.received == []


async def test_an_abstract_type_condition_in_requires_matches_its_possible_types(serve, fetcher):
    owners = {
        "owners": [
            {"__typename": "Person", "id": "A"},
            {"__typename": "Enterprise", "id": "E"},
            {"__typename": "Parcel", "id": "P"},
        ]
    }
    real_estate = await serve(lambda body: {"data": owners})
    store = {"Person": {"A": {"properties": 1}}, "Enterprise": {"E": {"properties": 2}}}
    registry = await serve(entities_from(store))
    requires = (
        InlineFragmentSelection(
            "PropertyOwner", (FieldSelection("__typename"), FieldSelection("id"))
        ),
    )
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("real_estate", "{ owners { __typename id } }"),
                FlattenNode(("owners", "@"), FetchNode("registry", "q", requires=requires)),
            )
        )
    )
    executor = Executor(
        fetcher,
        {"real_estate": real_estate.url, "registry": registry.url},
        possible_types={"PropertyOwner": frozenset({"Person", "Enterprise"})},
    )

    result = await executor.execute(plan, {})

    assert registry.received[0]["variables"]["representations"] == [
        {"__typename": "Person", "id": "A"},
        {"__typename": "Enterprise", "id": "E"},
    ]
    assert [o.get("properties") for o in result.data["owners"]] == [1, 2, None]


async def test_input_rewrites_change_representations_and_output_rewrites_change_entities(
    serve, fetcher
):
    accounts = await serve(lambda body: {"data": {"me": {"__typename": "User", "id": "1"}}})

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"_entities": [{"__typename": "Account", "alias_name": "Wang"}]}}

    accounts_iface = await serve(respond)
    requires = (
        InlineFragmentSelection("User", (FieldSelection("__typename"), FieldSelection("id"))),
    )
    fetch = FetchNode(
        "iface",
        "q",
        requires=requires,
        input_rewrites=(ValueSetter(("... on User", "__typename"), "Account"),),
        output_rewrites=(
            KeyRenamer(("... on Account", "alias_name"), "name"),
            ValueSetter(("... on Account", "__typename"), "User"),
        ),
    )
    plan = QueryPlan(
        SequenceNode(
            (FetchNode("accounts", "{ me { __typename id } }"), FlattenNode(("me",), fetch))
        )
    )

    result = await Executor(
        fetcher, {"accounts": accounts.url, "iface": accounts_iface.url}
    ).execute(plan, {})

    assert accounts_iface.received[0]["variables"]["representations"] == [
        {"__typename": "Account", "id": "1"}
    ]
    assert result.data == {"me": {"__typename": "User", "id": "1", "name": "Wang"}}


async def test_output_rewrites_of_a_root_fetch_rename_aliased_keys_from_the_root(serve, fetcher):
    # The planner aliased Admin.id (ID, against User.id: ID!) inside one root fetch.
    accounts = await serve(
        lambda body: {
            "data": {
                "accounts": [
                    {"__typename": "User", "id": "u1"},
                    {"__typename": "Admin", "id__alias_0": "a1"},
                ]
            }
        }
    )
    fetch = FetchNode(
        "b",
        "{ accounts { __typename ... on User { id } ... on Admin { id__alias_0: id } } }",
        output_rewrites=(KeyRenamer(("accounts", "... on Admin", "id__alias_0"), "id"),),
    )

    result = await Executor(fetcher, {"b": accounts.url}).execute(QueryPlan(fetch), {})

    assert result.data == {
        "accounts": [{"__typename": "User", "id": "u1"}, {"__typename": "Admin", "id": "a1"}]
    }


async def test_a_condition_runs_the_branch_its_boolean_variable_picks(serve, fetcher):
    yes = await serve(lambda body: {"data": {"a": 1}})
    no = await serve(lambda body: {"data": {"b": 2}})
    plan = QueryPlan(ConditionNode("flag", FetchNode("yes", "{ a }"), FetchNode("no", "{ b }")))
    executor = Executor(fetcher, {"yes": yes.url, "no": no.url})

    assert (await executor.execute(plan, {"flag": True})).data == {"a": 1}
    assert (await executor.execute(plan, {"flag": False})).data == {"b": 2}
    assert (await executor.execute(plan, {})).data == {"b": 2}


async def test_parallel_children_are_in_flight_at_the_same_time(serve, fetcher):
    both_arrived = asyncio.Event()
    arrived = 0

    async def respond(body: dict[str, Any]) -> dict[str, Any]:
        nonlocal arrived
        arrived += 1
        if arrived == 2:
            both_arrived.set()
        # Sequential execution would never let the second request arrive: fail fast.
        await asyncio.wait_for(both_arrived.wait(), timeout=2.0)
        return {"data": {body["query"].strip("{} "): True}}

    first = await serve(respond)
    second = await serve(respond)
    plan = QueryPlan(ParallelNode((FetchNode("first", "{ a }"), FetchNode("second", "{ b }"))))

    result = await Executor(fetcher, {"first": first.url, "second": second.url}).execute(plan, {})

    assert result.errors == []
    assert result.data == {"a": True, "b": True}


async def test_a_later_sequence_step_sees_what_the_earlier_one_merged(serve, fetcher):
    population = await serve(
        lambda body: {"data": {"person": {"__typename": "Person", "idNumber": "A"}}}
    )
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("population", "{ person { __typename idNumber } }"),
                marriages_at(("person",)),
            )
        )
    )

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert result.data == {
        "person": {"__typename": "Person", "idNumber": "A", "marriages": [{"kind": "MARRIAGE"}]}
    }


async def test_a_type_condition_in_a_flatten_path_keeps_only_objects_of_that_type(serve, fetcher):
    tree = {
        "owners": [
            {"__typename": "Person", "idNumber": "A"},
            {"__typename": "Enterprise", "idNumber": "A"},
        ]
    }
    real_estate = await serve(lambda body: {"data": tree})
    civil = await serve(entities_from(MARRIAGES, key="idNumber"))
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("real_estate", "{ owners { __typename idNumber } }"),
                marriages_at(("owners", "@", "... on Person")),
            )
        )
    )

    result = await Executor(
        fetcher, {"real_estate": real_estate.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert len(civil.received[0]["variables"]["representations"]) == 1
    assert "marriages" in result.data["owners"][0]
    assert "marriages" not in result.data["owners"][1]


async def test_mutations_in_a_sequence_reach_the_subgraph_one_after_the_other(serve, fetcher):
    order: list[str] = []

    async def respond(body: dict[str, Any]) -> dict[str, Any]:
        field = body["query"].split("{")[1].split("(")[0].strip()
        order.append(f"start {field}")
        await asyncio.sleep(0.02)
        order.append(f"end {field}")
        return {"data": {field: True}}

    civil = await serve(respond)
    plan = QueryPlan(
        SequenceNode(
            (
                FetchNode("civil_affairs", "mutation { first(x: 1) }", operation_kind="mutation"),
                FetchNode("civil_affairs", "mutation { second(x: 2) }", operation_kind="mutation"),
            )
        )
    )

    result = await Executor(fetcher, {"civil_affairs": civil.url}).execute(plan, {})

    assert order == ["start first", "end first", "start second", "end second"]
    assert result.data == {"first": True, "second": True}


async def test_an_empty_plan_gives_empty_data(fetcher):
    result = await Executor(fetcher, {}).execute(QueryPlan(None), {})

    assert (result.data, result.errors) == ({}, [])
