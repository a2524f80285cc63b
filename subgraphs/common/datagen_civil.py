"""Civil-affairs layer of a chunk: marriage registrations, dibao cases, elderly subsidies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from subgraphs.common.datagen_people import REFERENCE_DATE, PeopleChunk, age_on, chunk_rng
from subgraphs.common.records import (
    DibaoCaseRecord,
    ElderlySubsidyRecord,
    MarriageRecord,
    PersonRecord,
)

__all__ = ["CivilChunk", "build_civil"]

_DIBAO_STATUS = (("APPROVED", 60), ("PENDING", 15), ("REJECTED", 15), ("TERMINATED", 10))
_NOTES = {
    "APPROVED": "家庭人均收入低于当地最低生活保障标准，予以批准",
    "REJECTED": "家庭财产状况不符合规定，不予批准",
    "TERMINATED": "家庭收入已超过保障标准，停止发放",
}


@dataclass(frozen=True, slots=True)
class CivilChunk:
    marriages: list[MarriageRecord]
    dibao_cases: list[DibaoCaseRecord]
    elderly_subsidies: list[ElderlySubsidyRecord]


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _cap(day: date) -> date:
    return min(day, REFERENCE_DATE - timedelta(days=1))


def _couple(a: PersonRecord, b: PersonRecord) -> tuple[PersonRecord, PersonRecord]:
    # Party A is the man on a Chinese marriage certificate; same-sex pairs do not occur.
    return (a, b) if a.gender == "MALE" else (b, a)


def _earliest_marriage(man: PersonRecord, woman: PersonRecord) -> date:
    born_m, born_w = _day(man.birth_date), _day(woman.birth_date)
    return max(
        born_m.replace(year=born_m.year + 22, day=min(born_m.day, 28)),
        born_w.replace(year=born_w.year + 20, day=min(born_w.day, 28)),
        date(1955, 1, 1),
    )


def build_civil(seed: int, people: PeopleChunk) -> CivilChunk:
    key = people.key
    rng = chunk_rng(seed, "civil", key)
    code = key.county.code
    marriages: list[MarriageRecord] = []

    def register(kind: str, man: PersonRecord, woman: PersonRecord, on: date) -> None:
        number = (
            f"{'J' if kind == 'MARRIAGE' else 'L'}{code}-{on.year}-{key.k:03d}{len(marriages):05d}"
        )
        marriages.append(
            MarriageRecord(number, kind, man.id_number, woman.id_number, on.isoformat(), code)
        )

    singles: dict[str, list[PersonRecord]] = {"MALE": [], "FEMALE": []}
    for group in people.members.values():
        head = group[0]
        spouse = next((p for p in group if p.relation_to_head == "SPOUSE"), None)
        if spouse is not None:
            man, woman = _couple(head, spouse)
            start = _earliest_marriage(man, woman)
            register("MARRIAGE", man, woman, _cap(start + timedelta(days=rng.randrange(3650))))
        elif 30 <= age_on(head.birth_date) <= 75 and rng.random() < 0.3:
            singles[head.gender].append(head)
    # Divorced heads living alone were married to each other: both parties exist.
    for man, woman in zip(singles["MALE"], singles["FEMALE"], strict=False):
        start = _earliest_marriage(man, woman)
        married = _cap(start + timedelta(days=rng.randrange(2000)))
        register("MARRIAGE", man, woman, married)
        register("DIVORCE", man, woman, _cap(married + timedelta(days=rng.randint(200, 5000))))

    cases: list[DibaoCaseRecord] = []
    rate = 0.025 if key.county.urban else 0.05
    for household in people.households:
        if household.kind != "FAMILY" or rng.random() >= rate:
            continue
        status = rng.choices([s for s, _ in _DIBAO_STATUS], [w for _, w in _DIBAO_STATUS])[0]
        recent = 45 if status == "PENDING" else 1095
        applied = REFERENCE_DATE - timedelta(days=rng.randint(2, recent))
        amount: float | None = None
        decided: date | None = None
        if status != "PENDING":
            decided = _cap(applied + timedelta(days=rng.randint(15, 40)))
            if status != "REJECTED":
                low, high = (600, 820) if key.county.urban else (420, 580)
                amount = float(rng.randrange(low, high, 10))
        cases.append(
            DibaoCaseRecord(
                case_number=f"DB{code}{applied.year}{key.k:03d}{len(cases):04d}",
                applicant_id_number=household.head_id_number,
                household_number=household.household_number,
                county_code=code,
                applied_on=applied.isoformat(),
                status=status,
                monthly_amount=amount,
                decided_on=decided.isoformat() if decided else None,
                decision_note=_NOTES.get(status),
            )
        )

    subsidies: list[ElderlySubsidyRecord] = []
    for person in people.persons:
        age = age_on(person.birth_date)
        if age < 80 or not person.alive:
            continue
        born = _day(person.birth_date)
        since = max(born.replace(year=born.year + 80, day=min(born.day, 28)), date(2012, 1, 1))
        amount = 100.0 if age < 90 else 200.0 if age < 100 else 500.0
        grants = [("AGE_ALLOWANCE", amount)]
        if rng.random() < 0.15:
            grants.append(("CARE_SUBSIDY", float(rng.choice((200, 250, 300)))))
        for kind, monthly in grants:
            subsidies.append(
                ElderlySubsidyRecord(
                    subsidy_number=f"LN{code}{key.k:03d}{len(subsidies):05d}",
                    id_number=person.id_number,
                    kind=kind,
                    monthly_amount=monthly,
                    since=since.isoformat(),
                    county_code=code,
                )
            )
    return CivilChunk(marriages, cases, subsidies)
