"""The hand-made export sample: four persons, two employers, and a signed request helper.

WANG works at FACTORY and pays all three insurance types; LI left FACTORY and pays
nothing since (SUSPENDED); ZHAO is retired with a pension; SUN is a flexible contributor
(no employer); QIAN was never insured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import orjson

from gateway.policy.signing import sign_subgraph_request
from subgraphs.common.identifiers import make_credit_code, make_id_number
from subgraphs.common.records import (
    ContributionRecord,
    EmploymentRecord,
    PensionRecord,
    PersonRecord,
)
from subgraphs.social_security.store import ExportStore

WANG = make_id_number("211202", date(1985, 3, 14), 12, male=True)
LI = make_id_number("211202", date(1990, 8, 2), 40, male=False)
ZHAO = make_id_number("211224", date(1955, 1, 30), 7, male=True)
SUN = make_id_number("211282", date(1979, 5, 5), 3, male=False)
QIAN = make_id_number("211221", date(2001, 9, 9), 9, male=True)
FACTORY = make_credit_code("9", "1", "211204", "MA0Q3X7K")
SHOP = make_credit_code("9", "2", "211202", "MA0R5T2L")

SECRET = b"social-security-test-secret-012345"


def _person(id_number: str, county: str) -> PersonRecord:
    return PersonRecord(
        id_number, "某某", "MALE", "1980-01-01", "汉族", "13800000000", county, "地址",
        "H" + id_number[:10], "HEAD",
    )  # fmt: skip


def _paid(id_number: str, period: str, kind: str, employer: str | None) -> ContributionRecord:
    personal = {"PENSION": 400.0, "MEDICAL": 100.0, "UNEMPLOYMENT": 25.0}[kind]
    employer_amount = 0.0 if employer is None else personal * 2
    return ContributionRecord(id_number, period, kind, 5000.0, personal, employer_amount, employer)


@dataclass
class Source:
    """Stands in for ``Dataset``: the iterators the seeder reads."""

    person_records: list[PersonRecord] = field(default_factory=list)
    contribution_records: list[ContributionRecord] = field(default_factory=list)
    employment_records: list[EmploymentRecord] = field(default_factory=list)
    pension_records: list[PensionRecord] = field(default_factory=list)

    def persons(self) -> Iterable[PersonRecord]:
        return iter(self.person_records)

    def contributions(self) -> Iterable[ContributionRecord]:
        return iter(self.contribution_records)

    def employments(self) -> Iterable[EmploymentRecord]:
        return iter(self.employment_records)

    def pensions(self) -> Iterable[PensionRecord]:
        return iter(self.pension_records)


def sample_source() -> Source:
    return Source(
        person_records=[
            _person(WANG, "211202"), _person(LI, "211202"), _person(ZHAO, "211224"),
            _person(SUN, "211282"), _person(QIAN, "211221"),
        ],
        contribution_records=[
            *(_paid(WANG, p, k, FACTORY) for p in ("2026-08", "2026-09")
              for k in ("PENSION", "MEDICAL", "UNEMPLOYMENT")),
            _paid(LI, "2026-08", "PENSION", FACTORY),
            _paid(SUN, "2026-09", "PENSION", None),
        ],
        employment_records=[
            EmploymentRecord(WANG, FACTORY, "2018-04-01", None, "钳工"),
            EmploymentRecord(LI, FACTORY, "2020-02-15", "2026-08-31", "会计"),
            EmploymentRecord(LI, SHOP, "2026-10-01", None, "营业员"),
        ],
        pension_records=[PensionRecord(ZHAO, 3200.0, "2015-02-01", "PAYING")],
    )  # fmt: skip


@dataclass
class Subgraph:
    """The subgraph app under test and the export store whose reads it counts."""

    app: Any
    store: ExportStore


async def ask(app: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST one gateway-signed GraphQL request to a subgraph app; the response body."""
    body = orjson.dumps({"query": query, "variables": variables or {}})
    headers = {"content-type": "application/json"} | sign_subgraph_request(
        body, secret=SECRET, subject="officer-1", client_id="portal", purpose="test"
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://subgraph") as client:
        response = await client.post("/graphql", content=body, headers=headers)
    payload: dict[str, Any] = response.json()
    return payload
