"""Executor spec for failures: subgraph errors re-pathed, dead or slow subgraphs give partial data."""

from __future__ import annotations

import socket
from typing import Any

from loopback_subgraphs import entities_from
from opentelemetry.sdk.trace import TracerProvider

from gateway.executor import Executor
from gateway.planner.nodes import (
    FetchNode,
    FieldSelection,
    FlattenNode,
    InlineFragmentSelection,
    ParallelNode,
    QueryPlan,
    SequenceNode,
)
from gateway.transport.pooled import PooledFetcher

PERSON_KEY = (
    InlineFragmentSelection("Person", (FieldSelection("__typename"), FieldSelection("idNumber"))),
)
MEMBERS = {
    "household": {
        "members": [
            {"__typename": "Person", "idNumber": "A"},
            {"__typename": "Person", "idNumber": "B"},
            {"__typename": "Person", "idNumber": "A"},
        ]
    }
}
ROOT = FetchNode("population", "{ household { members { __typename idNumber } } }")


def entity_fetch(service: str) -> FlattenNode:
    return FlattenNode(("household", "members", "@"), FetchNode(service, "q", requires=PERSON_KEY))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


async def test_an_entities_error_is_moved_to_every_object_behind_that_representation(
    serve, fetcher
):
    population = await serve(lambda body: {"data": MEMBERS})

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        return {
            "data": {"_entities": [{"marriages": []}, None]},
            "errors": [
                {
                    "message": "registry offline for B",
                    "path": ["_entities", 0, "marriages", 0],
                    "locations": [{"line": 1, "column": 2}],
                    "extensions": {"code": "DOWNSTREAM"},
                }
            ],
        }

    civil = await serve(respond)
    plan = QueryPlan(SequenceNode((ROOT, entity_fetch("civil_affairs"))))

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert result.errors == [
        {
            "message": "registry offline for B",
            "path": ["household", "members", 0, "marriages", 0],
            "extensions": {"code": "DOWNSTREAM", "serviceName": "civil_affairs"},
        },
        {
            "message": "registry offline for B",
            "path": ["household", "members", 2, "marriages", 0],
            "extensions": {"code": "DOWNSTREAM", "serviceName": "civil_affairs"},
        },
    ]


async def test_a_root_fetch_error_keeps_its_path_and_names_the_service(serve, fetcher):
    population = await serve(
        lambda body: {
            "data": {"person": None},
            "errors": [{"message": "no such person", "path": ["person"]}],
        }
    )

    result = await Executor(fetcher, {"population": population.url}).execute(
        QueryPlan(FetchNode("population", "{ person(idNumber: 1) { name } }")), {}
    )

    assert result.data == {"person": None}
    assert result.errors == [
        {
            "message": "no such person",
            "path": ["person"],
            "extensions": {"serviceName": "population"},
        }
    ]


async def test_a_dead_subgraph_gives_partial_data_and_an_error_at_each_affected_object(
    serve, fetcher
):
    population = await serve(lambda body: {"data": MEMBERS})
    plan = QueryPlan(SequenceNode((ROOT, entity_fetch("civil_affairs"))))

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": closed_port_url()}
    ).execute(plan, {})

    assert result.data == MEMBERS
    assert [e["path"] for e in result.errors] == [
        ["household", "members", 0],
        ["household", "members", 1],
        ["household", "members", 2],
    ]
    assert {e["extensions"]["code"] for e in result.errors} == {"SUBGRAPH_UNAVAILABLE"}
    assert {e["extensions"]["serviceName"] for e in result.errors} == {"civil_affairs"}
    assert "127.0.0.1" not in result.errors[0]["message"]


async def test_fetches_that_depend_on_a_failed_root_fetch_are_skipped(serve, fetcher):
    civil = await serve(entities_from({}, key="idNumber"))
    plan = QueryPlan(SequenceNode((ROOT, entity_fetch("civil_affairs"))))

    result = await Executor(
        fetcher, {"population": closed_port_url(), "civil_affairs": civil.url}
    ).execute(plan, {})

    assert result.data == {}
    assert civil.received == []
    assert result.errors == [
        {
            "message": "subgraph 'population' is unavailable",
            "path": ["household"],
            "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "population"},
        }
    ]


async def test_a_slow_subgraph_times_out_while_its_parallel_sibling_still_answers(serve):
    slow = await serve(lambda body: {"data": {"slow": 1}}, delay=0.5)
    fast = await serve(lambda body: {"data": {"fast": 2}})
    plan = QueryPlan(ParallelNode((FetchNode("slow", "{ slow }"), FetchNode("fast", "{ fast }"))))

    async with PooledFetcher(timeout=0.1) as fetcher:
        result = await Executor(fetcher, {"slow": slow.url, "fast": fast.url}).execute(plan, {})

    assert result.data == {"fast": 2}
    assert result.errors == [
        {
            "message": "subgraph 'slow' did not answer within 0.1 s",
            "path": ["slow"],
            "extensions": {"code": "SUBGRAPH_TIMEOUT", "serviceName": "slow"},
        }
    ]


async def test_an_entities_answer_of_the_wrong_length_is_a_bad_response(serve, fetcher):
    population = await serve(lambda body: {"data": MEMBERS})
    civil = await serve(lambda body: {"data": {"_entities": [{"marriages": []}]}})
    plan = QueryPlan(SequenceNode((ROOT, entity_fetch("civil_affairs"))))

    result = await Executor(
        fetcher, {"population": population.url, "civil_affairs": civil.url}
    ).execute(plan, {})

    assert result.data == MEMBERS
    assert {e["extensions"]["code"] for e in result.errors} == {"SUBGRAPH_BAD_RESPONSE"}
    assert "1 entities for 2 representations" in result.errors[0]["message"]


async def test_a_subgraph_missing_from_the_url_map_is_an_error_not_a_crash(serve, fetcher):
    result = await Executor(fetcher, {}).execute(QueryPlan(FetchNode("nowhere", "{ a }")), {})

    assert result.data == {}
    assert result.errors[0]["extensions"] == {
        "code": "SUBGRAPH_UNAVAILABLE",
        "serviceName": "nowhere",
    }


async def test_the_callers_trace_context_travels_to_the_subgraph(serve, fetcher):
    population = await serve(lambda body: {"data": {"a": 1}})
    tracer = TracerProvider().get_tracer("test")

    with tracer.start_as_current_span("client request") as span:
        await Executor(fetcher, {"population": population.url}).execute(
            QueryPlan(FetchNode("population", "{ a }")), {}
        )

    trace_id = format(span.get_span_context().trace_id, "032x")
    assert trace_id in population.headers[0]["traceparent"]


async def test_errors_are_listed_in_plan_order_whichever_subgraph_answers_first(serve, fetcher):
    slow = await serve(
        lambda body: {"data": None, "errors": [{"message": "slow failed"}]}, delay=0.1
    )
    fast = await serve(lambda body: {"data": None, "errors": [{"message": "fast failed"}]})
    plan = QueryPlan(ParallelNode((FetchNode("slow", "{ a }"), FetchNode("fast", "{ b }"))))

    result = await Executor(fetcher, {"slow": slow.url, "fast": fast.url}).execute(plan, {})

    assert [e["message"] for e in result.errors] == ["slow failed", "fast failed"]


async def test_a_broken_fetch_wrapper_costs_only_its_part_of_the_response(serve, fetcher, caplog):
    population = await serve(lambda body: {"data": MEMBERS})

    class BrokenCache:
        async def fetch(self, request):
            if request.service_name == "civil_affairs":
                raise RuntimeError("cache backend exploded at 10.0.0.7")
            return await fetcher.fetch(request)

    plan = QueryPlan(SequenceNode((ROOT, entity_fetch("civil_affairs"))))

    result = await Executor(
        BrokenCache(), {"population": population.url, "civil_affairs": population.url}
    ).execute(plan, {})

    assert result.data == MEMBERS
    assert result.errors[0] == {
        "message": "Internal server error",
        "path": ["household", "members", 0],
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "serviceName": "civil_affairs"},
    }
    assert "10.0.0.7" not in str(result.errors)
    assert "cache backend exploded" in caplog.text


async def test_a_subgraph_url_that_is_not_http_is_a_located_unavailable_error():
    async with PooledFetcher() as fetcher:
        result = await Executor(fetcher, {"population": "ftp://example/graphql"}).execute(
            QueryPlan(FetchNode("population", "{ a }")), {}
        )

    assert result.errors == [
        {
            "message": "subgraph 'population' has no usable URL",
            "path": ["a"],
            "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "population"},
        }
    ]
