"""Measure the hot path: ``python -m gateway.executor.bench`` (not part of the test run).

Phases: (1) CPU cost per entity of the executor's in-process work (representations,
de-duplication and encoding, merge, projection) on a large synthetic household, no I/O;
(2) requests/s of executor + projection for a DibaoCheck-style operation of 16 subgraph
calls (3 households x 5 entity fetches + 1 root fetch) against canned subgraphs served
by a child process on loopback, at a fixed concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from typing import Any

import orjson
from graphql import build_schema, parse

from gateway.executor.interpreter import Executor
from gateway.executor.merge import deep_merge
from gateway.executor.representations import RequiresSelector
from gateway.executor.shape import compile_shape
from gateway.planner.nodes import (
    FetchNode,
    FieldSelection,
    FlattenNode,
    InlineFragmentSelection,
    ParallelNode,
    QueryPlan,
    SequenceNode,
)
from gateway.transport.fetcher import SubgraphRequest, SubgraphResponse
from gateway.transport.http import HttpFetcher
from gateway.transport.measure import http_ok, serve_canned
from gateway.transport.pooled import PooledFetcher

__all__ = ["main"]

SCHEMA = build_schema(
    """
    enum MarriageKind { MARRIAGE DIVORCE }
    enum InsuranceType { PENSION MEDICAL UNEMPLOYMENT }
    enum PropertyUsage { RESIDENTIAL COMMERCIAL }
    type Marriage { kind: MarriageKind! registeredOn: String! }
    type Enterprise { name: String! creditCode: ID! licenceStatus: String! }
    type Contribution { period: String! insuranceType: InsuranceType! personalAmount: Float! }
    type Property { certificateNumber: ID! area: Float! usage: PropertyUsage! }
    type Person {
      idNumber: ID! name: String! phone: String
      marriages: [Marriage!]! representedEnterprises: [Enterprise!]!
      contributions(first: Int): [Contribution!]! properties: [Property!]!
    }
    type Household { householdNumber: ID! members: [Person!]! }
    type Query { household(householdNumber: ID!): Household }
    """
)

_MEMBER_FIELDS = """name idNumber phone
  marriages { kind registeredOn }
  representedEnterprises { name creditCode licenceStatus }
  contributions(first: 12) { period insuranceType personalAmount }
  properties { certificateNumber area usage }"""
ALIASES = ("h0", "h1", "h2")
QUERY = (
    "query DibaoCheck {"
    + " ".join(
        f'{a}: household(householdNumber: "{i}") {{ members {{ {_MEMBER_FIELDS} }} }}'
        for i, a in enumerate(ALIASES)
    )
    + "}"
)
_KEY = (
    InlineFragmentSelection("Person", (FieldSelection("__typename"), FieldSelection("idNumber"))),
)
# service -> (marker in its _entities operation, what one entity answers)
ENTITY_ANSWERS: dict[str, tuple[str, dict[str, Any]]] = {
    "civil_affairs": (
        "marriages",
        {"marriages": [{"kind": "MARRIAGE", "registeredOn": "2010-05-01"}]},
    ),
    "market_regulation": (
        "representedEnterprises",
        {
            "representedEnterprises": [
                {"name": "铁岭商贸", "creditCode": "91211200MA0Q0000X1", "licenceStatus": "ACTIVE"}
            ]
        },
    ),
    "social_security": (
        "contributions",
        {
            "contributions": [
                {"period": f"2024-{m:02d}", "insuranceType": "PENSION", "personalAmount": 312.5}
                for m in range(1, 13)
            ]
        },
    ),
    "real_estate": (
        "properties",
        {
            "properties": [
                {
                    "certificateNumber": "辽(2021)铁岭市不动产权第0001234号",
                    "area": 88.5,
                    "usage": "RESIDENTIAL",
                }
            ]
        },
    ),
    "population": ("phone", {"phone": "138****5678"}),
}


def _member(h: int, m: int) -> dict[str, Any]:
    return {"__typename": "Person", "idNumber": f"2112021990{h:02d}{m:04d}", "name": f"居民{h}-{m}"}


def _root_answer(members: int) -> bytes:
    data = {a: {"members": [_member(h, m) for m in range(members)]} for h, a in enumerate(ALIASES)}
    return orjson.dumps({"data": data})


def build_plan() -> QueryPlan:
    root = FetchNode(
        "population",
        "query { "
        + " ".join(f"{a}: household {{ members {{ __typename idNumber name }} }}" for a in ALIASES)
        + " }",
    )
    flattens = tuple(
        FlattenNode(
            (alias, "members", "@"),
            FetchNode(
                service,
                "query($representations:[_Any!]!){_entities(representations:$representations)"
                f"{{... on Person{{{marker}}}}}}}",
                requires=_KEY,
            ),
        )
        for alias in ALIASES
        for service, (marker, _) in ENTITY_ANSWERS.items()
    )
    return QueryPlan(SequenceNode((root, ParallelNode(flattens))))


def _respond_factory(members: int) -> Any:
    root = http_ok(_root_answer(members))
    answers = {marker: orjson.dumps(answer) for marker, answer in ENTITY_ANSWERS.values()}

    def respond(body: bytes) -> bytes:
        if b"_entities" not in body:
            return root
        request = orjson.loads(body)
        count = len(request["variables"]["representations"])
        marker = next(m for m in answers if m in request["query"])
        return http_ok(b'{"data":{"_entities":[' + b",".join([answers[marker]] * count) + b"]}}")

    return respond


def cpu_per_entity(members: int, rounds: int) -> dict[str, float]:
    """Microseconds per entity for each in-process step (best of ``rounds``), no I/O."""
    selector = RequiresSelector(_KEY, {})
    shape = compile_shape(SCHEMA, parse(QUERY), None)
    answers = [answer for _, answer in ENTITY_ANSWERS.values()]
    timings = dict.fromkeys(
        ("representations + dedupe + encode", "merge (5 fetches)", "projection"), float("inf")
    )
    entities = members * len(ALIASES)
    for _ in range(rounds):
        raw = orjson.loads(_root_answer(members))["data"]
        objects = [m for a in ALIASES for m in raw[a]["members"]]
        t0 = time.perf_counter()
        seen: dict[bytes, int] = {}
        for obj in objects:
            rep = selector.select(obj)
            key = orjson.dumps(rep)
            if key not in seen:
                seen[key] = len(seen)
        t1 = time.perf_counter()
        fetched = [orjson.loads(orjson.dumps([a] * entities)) for a in answers]
        t2 = time.perf_counter()
        for batch in fetched:
            for obj, entity in zip(objects, batch, strict=True):
                deep_merge(obj, entity)
        t3 = time.perf_counter()
        shape.project(raw, {}, [])
        t4 = time.perf_counter()
        # Best round: the machine is shared, and the minimum is the cost without noise.
        for name, spent in zip(timings, (t1 - t0, t3 - t2, t4 - t3), strict=True):
            timings[name] = min(timings[name], spent)
    return {k: v / entities * 1e6 for k, v in timings.items()}


async def requests_per_second(
    url: str,
    concurrency: int,
    seconds: float,
    *,
    replay_only: bool = False,
    transport: str = "pooled",
) -> tuple[float, float]:
    """(requests/s, requests per CPU-second of this process) for the plan or a bare replay.

    ``replay_only`` sends the same 16 bodies through ``HttpFetcher`` with no executor or
    projection: the floor any Python gateway on this transport pays.
    """
    plan = build_plan()
    shape = compile_shape(SCHEMA, parse(QUERY), None)
    fetcher: HttpFetcher | PooledFetcher = (
        PooledFetcher(max_connections_per_origin=concurrency * 4)
        if transport == "pooled"
        else HttpFetcher(max_connections=concurrency * 4)
    )
    async with fetcher:
        services = {service: url for service in ENTITY_ANSWERS}
        executor = Executor(fetcher, services)
        bodies = await _recorded_bodies(executor, plan)

        async def replay() -> None:
            await fetcher.fetch(SubgraphRequest("population", url, bodies[0]))
            await asyncio.gather(
                *(fetcher.fetch(SubgraphRequest("x", url, body)) for body in bodies[1:])
            )

        async def execute() -> None:
            result = await executor.execute(plan, {})
            orjson.dumps({"data": shape.project(result.data, {}, result.errors)})

        one = replay if replay_only else execute
        done = 0
        deadline = 0.0

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await one()
                done += 1

        deadline = time.perf_counter() + 0.5
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        done = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        deadline = started + seconds
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        return done / wall, done / cpu


async def _recorded_bodies(executor: Executor, plan: QueryPlan) -> list[bytes]:
    """The request bodies one execution of ``plan`` sends, in order."""
    bodies: list[bytes] = []
    inner = executor.fetcher

    class Recorder:
        async def fetch(self, request: SubgraphRequest) -> SubgraphResponse:
            bodies.append(request.body)
            return await inner.fetch(request)

    executor.fetcher = Recorder()
    try:
        await executor.execute(plan, {})
    finally:
        executor.fetcher = inner
    return bodies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure the executor hot path.")
    parser.add_argument("--members", type=int, default=5, help="members per household")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--uvloop", action="store_true")
    parser.add_argument("--transport", choices=("pooled", "aiohttp"), default="pooled")
    args = parser.parse_args(argv)

    micro = cpu_per_entity(members=300, rounds=15)
    print("CPU per entity (900 persons, 5 entity fetches each):")
    for step, micros in micro.items():
        print(f"  {step:36s} {micros:6.2f} µs")

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(
        target=serve_canned, args=(sock, _respond_factory(args.members)), daemon=True
    )
    server.start()
    sock.close()
    try:
        runner = asyncio.run
        if args.uvloop:
            import uvloop

            runner = uvloop.run
        url = f"http://127.0.0.1:{port}/graphql"
        results = {
            "replay of the 16 calls only": runner(
                requests_per_second(
                    url, args.concurrency, args.seconds, replay_only=True, transport=args.transport
                )
            ),
            "executor + projection + orjson": runner(
                requests_per_second(url, args.concurrency, args.seconds, transport=args.transport)
            ),
        }
    finally:
        server.terminate()
        server.join()
    print(
        f"DibaoCheck x3 households ({args.members} members each), 16 subgraph calls/request, "
        f"{args.concurrency} concurrent, {args.transport} transport:"
    )
    for name, (rps, per_cpu) in results.items():
        print(f"  {name:32s} {rps:6.0f} requests/s wall, {per_cpu:6.0f} per CPU-second")


if __name__ == "__main__":
    main()
