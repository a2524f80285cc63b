"""Two small department subgraphs (population, civil_affairs) as real strawberry apps, and
their supergraph written by hand, for running real plans through the executor."""

from __future__ import annotations

import enum
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import strawberry
import uvicorn
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter
from strawberry.federation import Schema

__all__ = ["CALLS", "civil_affairs_app", "population_app", "serve", "supergraph_sdl"]

CALLS: Counter[str] = Counter()

PEOPLE = {
    "211202199001010011": ("王伟", "H1"),
    "211202199203040022": ("李娜", "H1"),
    "211202201505060031": ("王小明", "H1"),
}
MARRIAGES = {"211202199001010011": ["MARRIAGE"], "211202199203040022": ["MARRIAGE"]}


@strawberry.enum
class MarriageKind(enum.Enum):
    MARRIAGE = "MARRIAGE"
    DIVORCE = "DIVORCE"


@strawberry.federation.type(keys=["idNumber"])
class Person:
    id_number: strawberry.ID
    name: str

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Person | None:
        CALLS["population._entities"] += 1
        key = str(representation["idNumber"])
        row = PEOPLE.get(key)
        return None if row is None else Person(id_number=strawberry.ID(key), name=row[0])


@strawberry.type
class Household:
    household_number: strawberry.ID

    @strawberry.field
    def members(self) -> list[Person]:
        return [
            Person(id_number=strawberry.ID(k), name=v[0])
            for k, v in PEOPLE.items()
            if v[1] == self.household_number
        ]


@strawberry.type
class PopulationQuery:
    @strawberry.field
    def household(self, household_number: strawberry.ID) -> Household | None:
        CALLS["population.household"] += 1
        known = any(v[1] == household_number for v in PEOPLE.values())
        return Household(household_number=household_number) if known else None


@strawberry.type
class Marriage:
    kind: MarriageKind


@strawberry.federation.type(keys=["idNumber"], name="Person")
class MarriedPerson:
    id_number: strawberry.ID

    @strawberry.field
    def marriages(self) -> list[Marriage]:
        return [Marriage(kind=MarriageKind(k)) for k in MARRIAGES.get(str(self.id_number), [])]

    @strawberry.field
    def archive_code(self) -> str:
        # always fails: shows whether a fetch asked for it
        raise ValueError("the civil archive is offline")

    @classmethod
    def resolve_reference(cls, **representation: Any) -> MarriedPerson:
        CALLS["civil_affairs._entities"] += 1
        return MarriedPerson(id_number=strawberry.ID(str(representation["idNumber"])))


@strawberry.type
class CivilAffairsQuery:
    @strawberry.field
    def marriage_count(self) -> int:
        return sum(len(v) for v in MARRIAGES.values())


def _app(schema: Schema) -> FastAPI:
    app = FastAPI()
    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    return app


def population_app() -> FastAPI:
    return _app(Schema(query=PopulationQuery, types=[Person]))


def civil_affairs_app() -> FastAPI:
    return _app(Schema(query=CivilAffairsQuery, types=[MarriedPerson]))


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on an ephemeral loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"subgraph on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def supergraph_sdl(population_url: str, civil_affairs_url: str) -> str:
    return SUPERGRAPH.replace("@POPULATION@", population_url).replace(
        "@CIVIL_AFFAIRS@", civil_affairs_url
    )


SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{
  query: Query
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import

enum link__Purpose {
  SECURITY
  EXECUTION
}

enum join__Graph {
  CIVIL_AFFAIRS @join__graph(name: "civil_affairs", url: "@CIVIL_AFFAIRS@/graphql")
  POPULATION @join__graph(name: "population", url: "@POPULATION@/graphql")
}

enum MarriageKind @join__type(graph: CIVIL_AFFAIRS) {
  MARRIAGE @join__enumValue(graph: CIVIL_AFFAIRS)
  DIVORCE @join__enumValue(graph: CIVIL_AFFAIRS)
}

type Marriage @join__type(graph: CIVIL_AFFAIRS) {
  kind: MarriageKind!
}

type Household @join__type(graph: POPULATION) {
  householdNumber: ID!
  members: [Person!]!
}

type Person @join__type(graph: CIVIL_AFFAIRS, key: "idNumber") @join__type(graph: POPULATION, key: "idNumber") {
  idNumber: ID!
  name: String! @join__field(graph: POPULATION)
  marriages: [Marriage!]! @join__field(graph: CIVIL_AFFAIRS)
  archiveCode: String! @join__field(graph: CIVIL_AFFAIRS)
}

type Query @join__type(graph: CIVIL_AFFAIRS) @join__type(graph: POPULATION) {
  household(householdNumber: ID!): Household @join__field(graph: POPULATION)
  marriageCount: Int! @join__field(graph: CIVIL_AFFAIRS)
}
"""
