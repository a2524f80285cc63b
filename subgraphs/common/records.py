"""Records of the synthetic Tieling dataset: the contract between the generator and the
department seeders. Each department seeds its own store (SQL tables, CSV exports, the
legacy registry service) from these records, in the shape that store really has.

Dates are ISO strings (``YYYY-MM-DD``); periods are ``YYYY-MM``; money is yuan (float).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ContributionRecord",
    "DibaoCaseRecord",
    "ElderlySubsidyRecord",
    "EmploymentRecord",
    "EnterpriseRecord",
    "HouseholdRecord",
    "MarriageRecord",
    "OwnershipRecord",
    "ParcelRecord",
    "PenaltyRecord",
    "PensionRecord",
    "PersonRecord",
    "PropertyRecord",
]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id_number: str  # GB 11643-1999, consistent with county, birth date and gender
    name: str
    gender: str  # "MALE" | "FEMALE"
    birth_date: str
    ethnicity: str
    phone: str
    county_code: str  # one of the seven Tieling divisions
    registered_address: str
    household_number: str
    relation_to_head: str  # "HEAD", "SPOUSE", "CHILD", "PARENT", "OTHER"
    alive: bool = True


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    household_number: str
    county_code: str
    address: str
    head_id_number: str
    kind: str  # "FAMILY" | "COLLECTIVE"


@dataclass(frozen=True, slots=True)
class MarriageRecord:
    registration_number: str
    kind: str  # "MARRIAGE" | "DIVORCE"
    party_a_id_number: str
    party_b_id_number: str
    registered_on: str
    office_county_code: str


@dataclass(frozen=True, slots=True)
class DibaoCaseRecord:
    case_number: str
    applicant_id_number: str
    household_number: str
    county_code: str
    applied_on: str
    status: str  # "PENDING" | "APPROVED" | "REJECTED" | "TERMINATED"
    monthly_amount: float | None
    decided_on: str | None
    decision_note: str | None


@dataclass(frozen=True, slots=True)
class ElderlySubsidyRecord:
    subsidy_number: str
    id_number: str
    kind: str  # "AGE_ALLOWANCE" | "CARE_SUBSIDY" | "SERVICE_SUBSIDY"
    monthly_amount: float
    since: str
    county_code: str


@dataclass(frozen=True, slots=True)
class EnterpriseRecord:
    credit_code: str  # GB 32100-2015, valid check characters
    name: str
    organisation_type: str  # e.g. "LIMITED_COMPANY", "SOLE_PROPRIETORSHIP", "FARMERS_COOPERATIVE"
    legal_representative_id_number: str
    registered_capital: float  # in 10,000 yuan
    established_on: str
    business_scope: str
    county_code: str
    address: str
    licence_status: str  # "ACTIVE" | "SUSPENDED" | "REVOKED" | "CANCELLED"


@dataclass(frozen=True, slots=True)
class PenaltyRecord:
    decision_number: str
    credit_code: str
    decided_on: str
    reason: str
    fine_amount: float
    authority: str


@dataclass(frozen=True, slots=True)
class EmploymentRecord:
    id_number: str
    employer_credit_code: str
    started_on: str
    ended_on: str | None
    position: str


@dataclass(frozen=True, slots=True)
class ContributionRecord:
    id_number: str
    period: str
    insurance_type: str  # "PENSION" | "MEDICAL" | "UNEMPLOYMENT" | "WORK_INJURY" | "MATERNITY"
    base: float
    personal_amount: float
    employer_amount: float
    employer_credit_code: str | None  # None for flexible (self-employed) contributors


@dataclass(frozen=True, slots=True)
class PensionRecord:
    id_number: str
    monthly_amount: float
    since: str
    status: str  # "PAYING" | "SUSPENDED"


@dataclass(frozen=True, slots=True)
class ParcelRecord:
    parcel_number: str
    county_code: str
    land_use: str
    area: float  # square metres


@dataclass(frozen=True, slots=True)
class OwnershipRecord:
    owner_kind: str  # "PERSON" | "ENTERPRISE"
    owner_id: str  # identity number or credit code
    share: str  # e.g. "100%", "50%"


@dataclass(frozen=True, slots=True)
class PropertyRecord:
    certificate_number: str  # e.g. "辽(2021)铁岭市不动产权第0001234号"
    parcel_number: str
    county_code: str
    address: str
    usage: str  # "RESIDENTIAL" | "COMMERCIAL" | "INDUSTRIAL" | "AGRICULTURAL"
    area: float
    registered_on: str
    owners: tuple[OwnershipRecord, ...]
    mortgaged: bool
    seized: bool
