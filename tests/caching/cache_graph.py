"""Two department subgraphs on loopback for the caching specs — population (Person, a
mutation) and market (Enterprise, Person.representedEnterprises) — that count every HTTP
request and every entity they resolve, and answer with the Cache-Control tests set."""

from __future__ import annotations

from collections import Counter
from typing import Any

import strawberry
from fastapi import FastAPI, Request, Response
from strawberry.fastapi import GraphQLRouter
from strawberry.federation import Schema

__all__ = [
    "BROKEN",
    "CACHE_CONTROL",
    "CALLS",
    "FAULTS",
    "PERSONS",
    "market_app",
    "population_app",
    "reset",
    "supergraph_sdl",
]

CALLS: Counter[str] = Counter()  # "<subgraph>" per HTTP request, "<subgraph>.<what>" per item
CACHE_CONTROL: dict[str, str] = {}  # subgraph -> Cache-Control header it answers with
BROKEN = "211221199909090000"  # resolving this person fails

PERSONS: dict[str, dict[str, Any]] = {
    "211221199003074518": {"name": "李建国", "phone": "13812345678", "county": "211221"},
    "211202198512121236": {"name": "王秀英", "phone": "13987654321", "county": "211202"},
    BROKEN: {"name": "错误", "phone": "13000000000", "county": "211221"},
}
ENTERPRISES = {
    "91211221MA0U000011": {"name": "铁岭县粮油有限公司", "rep": "211221199003074518"},
    "91211202MA0U000022": {"name": "银州机械厂", "rep": "211202198512121236"},
    "91211221MA0U000033": {"name": "铁岭县农机站", "rep": "211221199003074518"},
}
BROKEN_ENTERPRISE = ("91211221MA0U000044", {"name": "铁岭县维修铺", "rep": BROKEN})
FAULTS: set[str] = set()  # "enterprise": the enterprises list includes one whose rep fails
_ORIGINAL = {k: dict(v) for k, v in PERSONS.items()}


def reset() -> None:
    CALLS.clear()
    CACHE_CONTROL.clear()
    FAULTS.clear()
    for key, row in _ORIGINAL.items():
        PERSONS[key] = dict(row)


@strawberry.type
class Division:
    code: str


@strawberry.federation.type(keys=["idNumber"])
class Person:
    id_number: strawberry.ID
    name: str
    phone: str | None
    registered_county: Division

    @classmethod
    def resolve_reference(cls, idNumber: strawberry.ID) -> Person | None:
        CALLS["population.entity"] += 1
        return _person(str(idNumber))


def _person(id_number: str) -> Person | None:
    if id_number == BROKEN:
        raise ValueError("the household register is being repaired")
    row = PERSONS.get(id_number)
    if row is None:
        return None
    return Person(
        id_number=strawberry.ID(id_number),
        name=row["name"],
        phone=row["phone"],
        registered_county=Division(code=row["county"]),
    )


@strawberry.type
class PopulationQuery:
    @strawberry.field
    def person(self, id_number: strawberry.ID) -> Person | None:
        CALLS["population.person"] += 1
        return _person(str(id_number))


@strawberry.type
class PopulationMutation:
    @strawberry.mutation
    def update_phone(self, id_number: strawberry.ID, phone: str) -> Person:
        CALLS["population.updatePhone"] += 1
        PERSONS[str(id_number)]["phone"] = phone
        person = _person(str(id_number))
        assert person is not None
        return person


@strawberry.federation.type(keys=["idNumber"], name="Person")
class PersonStub:
    id_number: strawberry.ID

    @strawberry.field
    def represented_enterprises(self) -> list[Enterprise]:
        return [
            _enterprise(code)
            for code, row in ENTERPRISES.items()
            if row["rep"] == str(self.id_number)
        ]

    @classmethod
    def resolve_reference(cls, idNumber: strawberry.ID) -> PersonStub:
        CALLS["market.entity"] += 1
        return PersonStub(id_number=idNumber)


@strawberry.federation.type(keys=["creditCode"])
class Enterprise:
    credit_code: strawberry.ID
    name: str
    rep: strawberry.Private[str]

    @strawberry.field
    def representative(self) -> PersonStub:
        return PersonStub(id_number=strawberry.ID(self.rep))


def _enterprise(code: str) -> Enterprise:
    row = BROKEN_ENTERPRISE[1] if code == BROKEN_ENTERPRISE[0] else ENTERPRISES[code]
    return Enterprise(credit_code=strawberry.ID(code), name=row["name"], rep=row["rep"])


@strawberry.type
class MarketQuery:
    @strawberry.field
    def enterprises(self) -> list[Enterprise]:
        CALLS["market.enterprises"] += 1
        codes = list(ENTERPRISES)
        if "enterprise" in FAULTS:
            codes.append(BROKEN_ENTERPRISE[0])
        return [_enterprise(code) for code in codes]


def _app(name: str, schema: Schema) -> FastAPI:
    app = FastAPI()

    @app.middleware("http")
    async def count(request: Request, call_next: Any) -> Response:
        CALLS[name] += 1
        response: Response = await call_next(request)
        if name in CACHE_CONTROL:
            response.headers["Cache-Control"] = CACHE_CONTROL[name]
        return response

    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    return app


def population_app() -> FastAPI:
    return _app(
        "population",
        Schema(query=PopulationQuery, mutation=PopulationMutation, types=[Person]),
    )


def market_app() -> FastAPI:
    return _app("market", Schema(query=MarketQuery, types=[Enterprise, PersonStub]))


def supergraph_sdl(population_url: str, market_url: str) -> str:
    return SUPERGRAPH.replace("@POPULATION@", population_url).replace("@MARKET@", market_url)


SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{
  query: Query
  mutation: Mutation
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
  MARKET @join__graph(name: "market", url: "@MARKET@/graphql")
  POPULATION @join__graph(name: "population", url: "@POPULATION@/graphql")
}

type Division @join__type(graph: POPULATION) {
  code: String!
}

type Enterprise @join__type(graph: MARKET, key: "creditCode") {
  creditCode: ID!
  name: String!
  representative: Person!
}

type Person @join__type(graph: MARKET, key: "idNumber") @join__type(graph: POPULATION, key: "idNumber") {
  idNumber: ID!
  name: String! @join__field(graph: POPULATION)
  phone: String @join__field(graph: POPULATION)
  registeredCounty: Division! @join__field(graph: POPULATION)
  representedEnterprises: [Enterprise!]! @join__field(graph: MARKET)
}

type Query @join__type(graph: MARKET) @join__type(graph: POPULATION) {
  enterprises: [Enterprise!]! @join__field(graph: MARKET)
  person(idNumber: ID!): Person @join__field(graph: POPULATION)
}

type Mutation @join__type(graph: POPULATION) {
  updatePhone(idNumber: ID!, phone: String!): Person! @join__field(graph: POPULATION)
}
"""
