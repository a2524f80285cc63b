"""A two-subgraph federated graph (residents, companies) served over real HTTP for the
gateway's end-to-end tests, with the supergraph written out by hand."""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry
from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter
from strawberry.federation import Schema

__all__ = ["CALLS", "companies_app", "expected_companies", "residents_app", "supergraph_sdl"]

CALLS: Counter[str] = Counter()

RESIDENTS = {
    "211202199001010011": {"name": "王伟", "county": "211202"},
    "211204198505050026": {"name": "李娜", "county": "211204"},
    "211221197712120034": {"name": "张强", "county": "211221"},
}
COMPANIES = {
    "91211200MA0U000011": {"name": "铁岭粮油有限公司", "rep": "211202199001010011"},
    "91211200MA0U000022": {"name": "开原机械厂", "rep": "211204198505050026"},
    "91211200MA0U000033": {"name": "清河旅游公司", "rep": "211202199001010011"},
}


@strawberry.federation.type(keys=["id"])
class Resident:
    id: strawberry.ID
    name: str
    county: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Resident | None:
        CALLS["residents._entities"] += 1
        row = RESIDENTS.get(str(id))
        return None if row is None else Resident(id=id, name=row["name"], county=row["county"])


@strawberry.type
class ResidentsQuery:
    @strawberry.field
    def residents(self) -> list[Resident]:
        CALLS["residents.residents"] += 1
        return [
            Resident(id=strawberry.ID(k), name=v["name"], county=v["county"])
            for k, v in RESIDENTS.items()
        ]

    @strawberry.field
    def resident(self, id: strawberry.ID) -> Resident | None:
        row = RESIDENTS.get(str(id))
        return None if row is None else Resident(id=id, name=row["name"], county=row["county"])


@strawberry.federation.type(keys=["id"], name="Resident")
class ResidentStub:
    id: strawberry.ID

    @strawberry.field
    def companies(self) -> list[Company]:
        return [
            Company(code=strawberry.ID(code), name=row["name"], rep_id=row["rep"])
            for code, row in COMPANIES.items()
            if row["rep"] == str(self.id)
        ]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ResidentStub:
        CALLS["companies._entities"] += 1
        return ResidentStub(id=id)


@strawberry.federation.type(keys=["code"])
class Company:
    code: strawberry.ID
    name: str
    rep_id: strawberry.Private[str]

    @strawberry.field
    def representative(self) -> ResidentStub:
        return ResidentStub(id=strawberry.ID(self.rep_id))


@strawberry.type
class CompaniesQuery:
    @strawberry.field
    def companies(self) -> list[Company]:
        CALLS["companies.companies"] += 1
        return [
            Company(code=strawberry.ID(k), name=v["name"], rep_id=v["rep"])
            for k, v in COMPANIES.items()
        ]


def _app(schema: Schema) -> FastAPI:
    app = FastAPI()
    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    return app


def residents_app() -> FastAPI:
    return _app(Schema(query=ResidentsQuery, types=[Resident]))


def companies_app() -> FastAPI:
    return _app(Schema(query=CompaniesQuery, types=[Company, ResidentStub]))


def supergraph_sdl(residents_url: str, companies_url: str) -> str:
    return SUPERGRAPH.replace("@RESIDENTS@", residents_url).replace("@COMPANIES@", companies_url)


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
  COMPANIES @join__graph(name: "companies", url: "@COMPANIES@/graphql")
  RESIDENTS @join__graph(name: "residents", url: "@RESIDENTS@/graphql")
}

type Company @join__type(graph: COMPANIES, key: "code") {
  code: ID!
  name: String!
  representative: Resident!
}

type Query @join__type(graph: COMPANIES) @join__type(graph: RESIDENTS) {
  companies: [Company!]! @join__field(graph: COMPANIES)
  residents: [Resident!]! @join__field(graph: RESIDENTS)
  resident(id: ID!): Resident @join__field(graph: RESIDENTS)
}

type Resident @join__type(graph: COMPANIES, key: "id") @join__type(graph: RESIDENTS, key: "id") {
  id: ID!
  name: String! @join__field(graph: RESIDENTS)
  county: String! @join__field(graph: RESIDENTS)
  companies: [Company!]! @join__field(graph: COMPANIES)
}
"""


def expected_companies() -> list[dict[str, Any]]:
    return [
        {"name": row["name"], "representative": {"name": RESIDENTS[row["rep"]]["name"]}}
        for row in COMPANIES.values()
    ]
