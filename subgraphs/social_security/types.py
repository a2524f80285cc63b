"""GraphQL types of social_security: what the bureau adds to Person and Enterprise."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.errors import bad_input, require_credit_code, require_id_number

from . import loaders
from .exports import ContributionRow, EmploymentRow

__all__ = [
    "Contribution",
    "Employment",
    "Enterprise",
    "InsuranceStatus",
    "InsuranceType",
    "Pension",
    "PensionStatus",
    "Person",
]

MAX_CONTRIBUTIONS = 600  # ten years of all five insurance types
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _key(representation: dict[str, Any], field: str) -> str:
    """The key field of an entity representation; a clean error when it is absent."""
    value = representation.get(field)
    if not isinstance(value, str):
        raise bad_input(field, "entity representation key", f"{field} is missing or not a string")
    return value


@strawberry.enum
class InsuranceStatus(Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    RETIRED = "RETIRED"


@strawberry.enum
class InsuranceType(Enum):
    PENSION = "PENSION"
    MEDICAL = "MEDICAL"
    UNEMPLOYMENT = "UNEMPLOYMENT"
    WORK_INJURY = "WORK_INJURY"
    MATERNITY = "MATERNITY"


@strawberry.enum
class PensionStatus(Enum):
    PAYING = "PAYING"
    SUSPENDED = "SUSPENDED"


def _period(value: str | None, argument: str) -> str | None:
    if value is not None and not _PERIOD.match(value):
        raise bad_input(argument, "period YYYY-MM", f"{value!r} is not a period YYYY-MM")
    return value


@strawberry.type
class Pension:
    monthly_amount: float
    since: str
    status: PensionStatus


@strawberry.type
class Contribution:
    period: str
    insurance_type: InsuranceType
    base: float
    personal_amount: float
    employer_amount: float
    employer: Enterprise | None

    @classmethod
    def of(cls, row: ContributionRow) -> Contribution:
        code = row.employer_credit_code
        return cls(
            period=row.period,
            insurance_type=InsuranceType(row.insurance_type),
            base=row.base,
            personal_amount=row.personal_amount,
            employer_amount=row.employer_amount,
            employer=None if code is None else Enterprise(credit_code=strawberry.ID(code)),
        )


@strawberry.type
class Employment:
    person: Person
    employer: Enterprise
    started_on: str
    ended_on: str | None
    position: str

    @classmethod
    def of(cls, row: EmploymentRow) -> Employment:
        return cls(
            person=Person(id_number=strawberry.ID(row.id_number)),
            employer=Enterprise(credit_code=strawberry.ID(row.employer_credit_code)),
            started_on=row.started_on,
            ended_on=row.ended_on,
            position=row.position,
        )


@strawberry.federation.type(keys=["idNumber"])
class Person:
    id_number: strawberry.ID

    @strawberry.field
    async def insurance_status(self, info: Info[Any, Any]) -> InsuranceStatus | None:
        row = await loaders.insured(info).load(self.id_number)
        return None if row is None else InsuranceStatus(row.status)

    @strawberry.field
    async def contributions(
        self,
        info: Info[Any, Any],
        insurance_type: InsuranceType | None = None,
        from_period: str | None = None,
        to_period: str | None = None,
        first: int | None = 24,
    ) -> list[Contribution]:
        low, high = _period(from_period, "fromPeriod"), _period(to_period, "toPeriod")
        if low is not None and high is not None and low > high:
            raise bad_input("toPeriod", "not before fromPeriod", f"{high} is before {low}")
        limit = 24 if first is None else first
        if not 0 <= limit <= MAX_CONTRIBUTIONS:
            raise bad_input(
                "first",
                f"between 0 and {MAX_CONTRIBUTIONS}",
                f"must be between 0 and {MAX_CONTRIBUTIONS}, got {limit}",
            )
        rows = await loaders.contributions_of(info).load(self.id_number)
        kind = None if insurance_type is None else insurance_type.value
        chosen = [
            r
            for r in rows  # newest first
            if (kind is None or r.insurance_type == kind)
            and (low is None or r.period >= low)
            and (high is None or r.period <= high)
        ]
        return [Contribution.of(r) for r in chosen[:limit]]

    @strawberry.field
    async def employments(self, info: Info[Any, Any]) -> list[Employment]:
        return [Employment.of(r) for r in await loaders.employments_of(info).load(self.id_number)]

    @strawberry.field
    async def pension(self, info: Info[Any, Any]) -> Pension | None:
        row = await loaders.pension_of(info).load(self.id_number)
        if row is None:
            return None
        return Pension(monthly_amount=row.monthly_amount, since=row.since,
                       status=PensionStatus(row.status))  # fmt: skip

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Person:
        # Any well-formed identity number resolves: never insured means null status and
        # empty lists, which is itself an answer the bureau gives.
        id_number = require_id_number(_key(representation, "idNumber"), "idNumber")
        return cls(id_number=strawberry.ID(id_number))


@strawberry.federation.type(keys=["creditCode"])
class Enterprise:
    credit_code: strawberry.ID

    @strawberry.field
    async def insured_employee_count(self, info: Info[Any, Any]) -> int:
        jobs = await loaders.employments_at(info).load(self.credit_code)
        current = sorted({j.id_number for j in jobs if j.ended_on is None})
        insured = await loaders.insured(info).load_many(current)
        return sum(1 for row in insured if row is not None and row.status == "ACTIVE")

    @strawberry.field
    async def employments(
        self, info: Info[Any, Any], current: bool | None = None
    ) -> list[Employment]:
        jobs = await loaders.employments_at(info).load(self.credit_code)
        return [
            Employment.of(j) for j in jobs if current is None or (j.ended_on is None) == current
        ]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Enterprise:
        code = require_credit_code(_key(representation, "creditCode"), "creditCode")
        return cls(credit_code=strawberry.ID(code))
