"""Economy layers of a chunk: enterprises and penalties, then jobs, contributions, pensions.

Enterprises are registered in the chunk's county with legal representatives drawn from
the chunk's adults, and employers are drawn from the chunk's enterprises, so every
reference points at a record the dataset really contains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from subgraphs.common.datagen_people import REFERENCE_DATE, PeopleChunk, age_on, chunk_rng
from subgraphs.common.identifiers import make_credit_code
from subgraphs.common.records import (
    ContributionRecord,
    EmploymentRecord,
    EnterpriseRecord,
    PenaltyRecord,
    PensionRecord,
    PersonRecord,
)
from subgraphs.common.vocabulary import ENTERPRISE_BRANDS, INDUSTRIES, PENALTY_REASONS, POSITIONS

__all__ = [
    "CONTRIBUTION_PERIODS",
    "BusinessChunk",
    "LabourChunk",
    "build_business",
    "build_labour",
    "retirement_age",
]

# (organisation type, registration authority + type code, weight, name suffix)
_ORG_TYPES = (
    ("LIMITED_COMPANY", "91", 52, "有限公司"),
    ("JOINT_STOCK_COMPANY", "91", 3, "股份有限公司"),
    ("SOLE_PROPRIETORSHIP", "91", 5, "经销处"),
    ("PARTNERSHIP", "91", 4, "合伙企业"),
    ("INDIVIDUAL_BUSINESS", "92", 24, "店"),
    ("FARMERS_COOPERATIVE", "93", 12, "专业合作社"),
)
_LICENCE = (("ACTIVE", 88), ("SUSPENDED", 3), ("REVOKED", 4), ("CANCELLED", 5))
# Last twelve months before the reference date; three insurance types keep a million
# persons tractable (about 16 million contribution rows).
CONTRIBUTION_PERIODS = tuple(
    f"{(REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 2 - i) // 12}-"
    f"{(REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 2 - i) % 12 + 1:02d}"
    for i in range(11, -1, -1)
)
# (insurance type, personal rate, employer rate) as commonly levied in Liaoning
_RATES = (("PENSION", 0.08, 0.16), ("MEDICAL", 0.02, 0.075), ("UNEMPLOYMENT", 0.005, 0.005))


@dataclass(frozen=True, slots=True)
class BusinessChunk:
    enterprises: list[EnterpriseRecord]
    penalties: list[PenaltyRecord]


@dataclass(frozen=True, slots=True)
class LabourChunk:
    employments: list[EmploymentRecord]
    contributions: list[ContributionRecord]
    pensions: list[PensionRecord]


def retirement_age(person: PersonRecord) -> int:
    return 60 if person.gender == "MALE" else 55


def build_business(seed: int, people: PeopleChunk) -> BusinessChunk:
    key = people.key
    rng = chunk_rng(seed, "business", key)
    county = key.county
    adults = [p for p in people.persons if p.alive and 22 <= age_on(p.birth_date) <= 70]
    types = [t for t in _ORG_TYPES if county.urban is False or t[0] != "FARMERS_COOPERATIVE"]
    enterprises: list[EnterpriseRecord] = []
    penalties: list[PenaltyRecord] = []
    for e in range(max(1, key.persons // 20) if adults else 0):
        org_type, prefix, _, suffix = rng.choices(types, [t[2] for t in types])[0]
        trade, scope = rng.choice(INDUSTRIES)
        brand = rng.choice(ENTERPRISE_BRANDS) + rng.choice(ENTERPRISE_BRANDS)
        place = county.name[:-1] if len(county.name) > 2 else county.name
        if org_type == "FARMERS_COOPERATIVE":
            trade, scope = rng.choice(
                (("种植", "玉米、水稻种植及销售"), ("养殖", "肉牛、生猪养殖及销售"))
            )
        representative = rng.choice(adults)
        capital = {
            "INDIVIDUAL_BUSINESS": rng.randint(1, 50),
            "SOLE_PROPRIETORSHIP": rng.randint(5, 100),
            "FARMERS_COOPERATIVE": rng.randint(10, 500),
        }.get(org_type, rng.choice((50, 100, 200, 300, 500, 1000, 2000, 5000)))
        established = date(1995, 1, 1) + timedelta(days=rng.randrange(11600))
        body = f"{key.county_index + 1}{key.k:03d}{e:04d}"
        credit_code = make_credit_code(prefix[0], prefix[1], county.code, body)
        status = rng.choices([s for s, _ in _LICENCE], [w for _, w in _LICENCE])[0]
        enterprises.append(
            EnterpriseRecord(
                credit_code=credit_code,
                name=f"{place}{brand}{trade}{suffix}",
                organisation_type=org_type,
                legal_representative_id_number=representative.id_number,
                registered_capital=float(capital),
                established_on=established.isoformat(),
                business_scope=scope,
                county_code=county.code,
                address=representative.registered_address.split("号")[0] + "号",
                licence_status=status,
            )
        )
        if rng.random() < 0.08:
            for p in range(rng.randint(1, 3)):
                decided = established + timedelta(
                    days=rng.randrange(max(1, (REFERENCE_DATE - established).days))
                )
                penalties.append(
                    PenaltyRecord(
                        decision_number=f"{county.code}市监罚〔{decided.year}〕{key.k:03d}{e:04d}{p}号",
                        credit_code=credit_code,
                        decided_on=decided.isoformat(),
                        reason=rng.choice(PENALTY_REASONS),
                        fine_amount=float(rng.choice((500, 1000, 2000, 5000, 10000, 30000, 50000))),
                        authority=f"{county.name}市场监督管理局",
                    )
                )
    return BusinessChunk(enterprises, penalties)


def build_labour(seed: int, people: PeopleChunk, business: BusinessChunk) -> LabourChunk:
    key = people.key
    rng = chunk_rng(seed, "labour", key)
    employers = [e for e in business.enterprises if e.licence_status == "ACTIVE"]
    employments: list[EmploymentRecord] = []
    contributions: list[ContributionRecord] = []
    pensions: list[PensionRecord] = []
    first_period = CONTRIBUTION_PERIODS[0]
    employed_rate = 0.6 if key.county.urban else 0.35
    for person in people.persons:
        age = age_on(person.birth_date)
        retire = retirement_age(person)
        born = date.fromisoformat(person.birth_date)
        if age >= retire:
            if rng.random() < (0.85 if key.county.urban else 0.5):
                since = max(
                    born.replace(year=born.year + retire, day=min(born.day, 28)), date(1990, 1, 1)
                )
                pensions.append(
                    PensionRecord(
                        id_number=person.id_number,
                        monthly_amount=float(rng.randrange(1500, 4500, 10)),
                        since=since.isoformat(),
                        status="PAYING" if person.alive else "SUSPENDED",
                    )
                )
            continue
        if age < 18 or not person.alive:
            continue
        base = float(rng.randrange(3500, 12000, 100))
        if employers and rng.random() < employed_rate:
            employer = rng.choice(employers)
            earliest = max(
                date.fromisoformat(employer.established_on),
                born.replace(year=born.year + 18, day=1),
            )
            span = max(1, (REFERENCE_DATE - earliest).days)
            started = earliest + timedelta(days=rng.randrange(span))
            if rng.random() < 0.3 and len(employers) > 1:
                previous = rng.choice([e for e in employers if e is not employer])
                prev_start = max(
                    date.fromisoformat(previous.established_on),
                    born.replace(year=born.year + 18, day=1),
                )
                if prev_start < started - timedelta(days=60):
                    ended = prev_start + timedelta(
                        days=rng.randrange((started - prev_start).days - 30)
                    )
                    employments.append(
                        EmploymentRecord(person.id_number, previous.credit_code, prev_start.isoformat(),
                                         ended.isoformat(), rng.choice(POSITIONS))
                    )  # fmt: skip
            employments.append(
                EmploymentRecord(
                    person.id_number,
                    employer.credit_code,
                    started.isoformat(),
                    None,
                    rng.choice(POSITIONS),
                )
            )
            start_period = max(first_period, started.isoformat()[:7])
            for period in CONTRIBUTION_PERIODS:
                if period < start_period:
                    continue
                for kind, personal, employer_rate in _RATES:
                    contributions.append(
                        ContributionRecord(person.id_number, period, kind, base, round(base * personal, 2),
                                           round(base * employer_rate, 2), employer.credit_code)
                    )  # fmt: skip
        elif age >= 40 and rng.random() < 0.15:
            # Flexible employment: the person pays the whole pension contribution alone.
            for period in CONTRIBUTION_PERIODS:
                contributions.append(
                    ContributionRecord(
                        person.id_number, period, "PENSION", base, round(base * 0.2, 2), 0.0, None
                    )
                )
    return LabourChunk(employments, contributions, pensions)
