"""The hand-made registry sample: three properties, two owners of each kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import orjson

from gateway.policy.signing import sign_subgraph_request
from subgraphs.common.identifiers import make_credit_code, make_id_number
from subgraphs.common.records import OwnershipRecord, ParcelRecord, PropertyRecord
from subgraphs.real_estate.registry_client import RegistryClient

WANG = make_id_number("211202", date(1975, 3, 14), 12, male=True)
LI = make_id_number("211202", date(1978, 8, 2), 40, male=False)
ZHAO = make_id_number("211224", date(1960, 1, 30), 7, male=True)  # owns nothing
FACTORY = make_credit_code("9", "1", "211204", "MA0Q3X7K")
NOBODY_CO = make_credit_code("9", "1", "211281", "MA0R5T2L")  # owns nothing

FLAT = "辽(2021)铁岭市不动产权第0001234号"
SHOP = "辽(2019)铁岭市不动产权第0000456号"
PLANT = "辽(2020)铁岭市不动产权第0000789号"


@dataclass
class Source:
    parcel_records: list[ParcelRecord]
    property_records: list[PropertyRecord]

    def parcels(self) -> Iterable[ParcelRecord]:
        return iter(self.parcel_records)

    def properties(self) -> Iterable[PropertyRecord]:
        return iter(self.property_records)


def sample_source() -> Source:
    parcels = [
        ParcelRecord("211202001001GB00001", "211202", "城镇住宅用地", 1200.0),
        ParcelRecord("211204002003GB00017", "211204", "工业用地", 15000.0),
    ]
    properties = [
        PropertyRecord(
            FLAT,
            "211202001001GB00001",
            "211202",
            "银州区银州路12号3单元501室",
            "RESIDENTIAL",
            89.5,
            "2021-03-04",
            (OwnershipRecord("PERSON", WANG, "50%"), OwnershipRecord("PERSON", LI, "50%")),
            mortgaged=True,
            seized=False,
        ),
        PropertyRecord(
            SHOP,
            "211202001001GB00001",
            "211202",
            "银州区银州路12号1层102",
            "COMMERCIAL",
            45.0,
            "2019-06-20",
            (OwnershipRecord("PERSON", WANG, "100%"),),
            mortgaged=False,
            seized=False,
        ),
        PropertyRecord(
            PLANT,
            "211204002003GB00017",
            "211204",
            "清河区工业园区8号",
            "INDUSTRIAL",
            5200.0,
            "2020-11-11",
            (OwnershipRecord("ENTERPRISE", FACTORY, "100%"),),
            mortgaged=False,
            seized=True,
        ),
    ]
    return Source(parcels, properties)


SECRET = b"real-estate-test-secret-0123456789"


async def ask(
    app: Any, query: str, variables: dict[str, Any] | None = None, *, signed: bool = True
) -> tuple[int, dict[str, Any]]:
    """POST one gateway-signed GraphQL request to a subgraph app; ``(status, body)``."""
    body = orjson.dumps({"query": query, "variables": variables or {}})
    headers = {"content-type": "application/json"}
    if signed:
        headers |= sign_subgraph_request(
            body, secret=SECRET, subject="officer-1", client_id="portal", purpose="test"
        )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as client:
        response = await client.post("/graphql", content=body, headers=headers)
    payload: dict[str, Any] = response.json()
    return response.status_code, payload


@dataclass
class Subgraph:
    """The subgraph app under test and the registry client whose calls it counts."""

    app: Any
    registry: RegistryClient
