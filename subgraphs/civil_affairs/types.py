"""GraphQL types of the civil_affairs subgraph: its entities, the Person/Household it extends."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeAlias

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.civil_affairs.store import CivilAffairsStore
from subgraphs.common.context import SubgraphContext
from subgraphs.common.identifiers import is_valid_id_number
from subgraphs.common.records import DibaoCaseRecord, ElderlySubsidyRecord, MarriageRecord
from subgraphs.common.types import Division

__all__ = [
    "DibaoCase",
    "DibaoDecision",
    "DibaoStatus",
    "ElderlySubsidy",
    "ElderlySubsidyKind",
    "Household",
    "Info",
    "MaritalStatus",
    "MarriageKind",
    "MarriageRegistration",
    "Person",
    "dibao_loader",
    "marriage_loader",
]

Info: TypeAlias = strawberry.Info[SubgraphContext[CivilAffairsStore], None]


@strawberry.enum
class MaritalStatus(Enum):
    SINGLE = "SINGLE"
    MARRIED = "MARRIED"
    DIVORCED = "DIVORCED"


@strawberry.enum
class MarriageKind(Enum):
    MARRIAGE = "MARRIAGE"
    DIVORCE = "DIVORCE"


@strawberry.enum
class DibaoStatus(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    TERMINATED = "TERMINATED"


@strawberry.enum
class DibaoDecision(Enum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


@strawberry.enum
class ElderlySubsidyKind(Enum):
    AGE_ALLOWANCE = "AGE_ALLOWANCE"
    CARE_SUBSIDY = "CARE_SUBSIDY"
    SERVICE_SUBSIDY = "SERVICE_SUBSIDY"


def _store(info: Info) -> CivilAffairsStore:
    return info.context.store


def marriages_of_loader(info: Info) -> DataLoader[str, list[MarriageRecord]]:
    return info.context.loader("civil.marriages_of", _store(info).marriages_by_person)


def marriage_loader(info: Info) -> DataLoader[str, MarriageRecord | None]:
    return info.context.loader("civil.marriage", _store(info).marriages_by_number)


def dibao_loader(info: Info) -> DataLoader[str, DibaoCaseRecord | None]:
    return info.context.loader("civil.dibao", _store(info).dibao_by_number)


def dibao_of_applicant_loader(info: Info) -> DataLoader[str, list[DibaoCaseRecord]]:
    return info.context.loader("civil.dibao_of_applicant", _store(info).dibao_by_applicant)


def dibao_of_household_loader(info: Info) -> DataLoader[str, list[DibaoCaseRecord]]:
    return info.context.loader("civil.dibao_of_household", _store(info).dibao_by_household)


def subsidies_loader(info: Info) -> DataLoader[str, list[ElderlySubsidyRecord]]:
    return info.context.loader("civil.subsidies", _store(info).subsidies_by_person)


@strawberry.federation.type(keys=["idNumber"])
class Person:
    """A resident as the Civil Affairs Bureau knows them (a stub keyed by identity number)."""

    id_number: strawberry.ID

    @strawberry.field
    async def marital_status(self, info: Info) -> MaritalStatus:
        registrations = await marriages_of_loader(info).load(str(self.id_number))
        if not registrations:
            return MaritalStatus.SINGLE
        latest = registrations[-1]  # oldest first: the last one is the current state
        return MaritalStatus.MARRIED if latest.kind == "MARRIAGE" else MaritalStatus.DIVORCED

    @strawberry.field
    async def marriages(self, info: Info) -> list[MarriageRegistration]:
        return [
            MarriageRegistration.of(m)
            for m in await marriages_of_loader(info).load(str(self.id_number))
        ]

    @strawberry.field
    async def dibao_cases(self, info: Info) -> list[DibaoCase]:
        cases = await dibao_of_applicant_loader(info).load(str(self.id_number))
        return [DibaoCase.of(c) for c in cases]

    @strawberry.field
    async def elderly_subsidies(self, info: Info) -> list[ElderlySubsidy]:
        subsidies = await subsidies_loader(info).load(str(self.id_number))
        return [ElderlySubsidy.of(s) for s in subsidies]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Person | None:
        # Anyone with a valid number exists for civil affairs (maybe with no records);
        # records are fetched per field, in batches, only if asked for.
        id_number = str(representation.get("idNumber", ""))
        return cls(id_number=strawberry.ID(id_number)) if is_valid_id_number(id_number) else None


@strawberry.federation.type(keys=["householdNumber"])
class Household:
    household_number: strawberry.ID

    @strawberry.field
    async def dibao_cases(self, info: Info) -> list[DibaoCase]:
        cases = await dibao_of_household_loader(info).load(str(self.household_number))
        return [DibaoCase.of(c) for c in cases]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Household | None:
        number = str(representation.get("householdNumber", ""))
        return cls(household_number=strawberry.ID(number)) if number else None


@strawberry.federation.type(keys=["registrationNumber"])
class MarriageRegistration:
    registration_number: strawberry.ID
    kind: MarriageKind
    registered_on: str
    office: Division
    party_a: Person
    party_b: Person

    @classmethod
    def of(cls, m: MarriageRecord) -> MarriageRegistration:
        return cls(
            registration_number=strawberry.ID(m.registration_number),
            kind=MarriageKind(m.kind),
            registered_on=m.registered_on,
            office=Division.of(m.office_county_code),
            party_a=Person(id_number=strawberry.ID(m.party_a_id_number)),
            party_b=Person(id_number=strawberry.ID(m.party_b_id_number)),
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info, **representation: Any
    ) -> MarriageRegistration | None:
        number = str(representation.get("registrationNumber", ""))
        record = await marriage_loader(info).load(number)
        return None if record is None else cls.of(record)


@strawberry.federation.type(keys=["caseNumber"], description="A minimum living allowance case.")
class DibaoCase:
    case_number: strawberry.ID
    applicant: Person
    household: Household
    county: Division
    applied_on: str
    status: DibaoStatus
    monthly_amount: float | None
    decided_on: str | None
    decision_note: str | None

    @classmethod
    def of(cls, c: DibaoCaseRecord) -> DibaoCase:
        return cls(
            case_number=strawberry.ID(c.case_number),
            applicant=Person(id_number=strawberry.ID(c.applicant_id_number)),
            household=Household(household_number=strawberry.ID(c.household_number)),
            county=Division.of(c.county_code),
            applied_on=c.applied_on,
            status=DibaoStatus(c.status),
            monthly_amount=c.monthly_amount,
            decided_on=c.decided_on,
            decision_note=c.decision_note,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **representation: Any) -> DibaoCase | None:
        record = await dibao_loader(info).load(str(representation.get("caseNumber", "")))
        return None if record is None else cls.of(record)


@strawberry.type
class ElderlySubsidy:
    subsidy_number: strawberry.ID
    kind: ElderlySubsidyKind
    monthly_amount: float
    since: str
    county: Division

    @classmethod
    def of(cls, s: ElderlySubsidyRecord) -> ElderlySubsidy:
        return cls(
            subsidy_number=strawberry.ID(s.subsidy_number),
            kind=ElderlySubsidyKind(s.kind),
            monthly_amount=s.monthly_amount,
            since=s.since,
            county=Division.of(s.county_code),
        )
