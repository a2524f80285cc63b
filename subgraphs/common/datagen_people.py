"""The base layer of the synthetic dataset: the households and persons of one chunk.

A chunk is up to ``chunk_size`` persons of one county, generated from its own seeded
RNG, so any chunk can be rebuilt alone and a million persons never sit in memory at
once. Identity numbers are unique by construction: within a chunk each (birth date,
gender) is used once, and across chunks the sequence slot is ``(k + 37 * day) mod 499``,
a different slot for every chunk ``k`` of the county on the same day.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from subgraphs.common.divisions import DivisionInfo
from subgraphs.common.identifiers import make_id_number
from subgraphs.common.records import HouseholdRecord, PersonRecord
from subgraphs.common.vocabulary import (
    ETHNICITIES,
    FEMALE_GIVEN,
    MALE_GIVEN,
    PHONE_PREFIXES,
    ROADS,
    SURNAMES,
    TOWNS,
    URBAN_STREETS,
    VILLAGES,
)

__all__ = [
    "MAX_CHUNKS_PER_COUNTY",
    "REFERENCE_DATE",
    "ChunkKey",
    "PeopleChunk",
    "age_on",
    "build_people",
]

REFERENCE_DATE = date(2026, 11, 1)  # "today" of the dataset, fixed so output is stable
MAX_CHUNKS_PER_COUNTY = 499  # sequence slots per gender and day
# Cumulative weights, computed once: ``choices`` would rebuild them on every call.
_SURNAME_CUM = list(itertools.accumulate(1.0 / (i + 4) for i in range(len(SURNAMES))))
_SIZE_CUM = list(itertools.accumulate((18, 30, 28, 14, 7, 3)))  # household sizes 1..6
_ETHNIC_NAMES = [e for e, _ in ETHNICITIES]


@dataclass(frozen=True, slots=True)
class ChunkKey:
    county: DivisionInfo
    county_index: int  # 0..6, position in DIVISIONS
    k: int  # chunk number within the county
    persons: int  # persons in this chunk


@dataclass(frozen=True, slots=True)
class PeopleChunk:
    key: ChunkKey
    persons: list[PersonRecord]
    households: list[HouseholdRecord]
    members: dict[str, list[PersonRecord]]  # household number -> members, head first


def age_on(birth: str, on: date = REFERENCE_DATE) -> int:
    y, m, d = int(birth[:4]), int(birth[5:7]), int(birth[8:10])
    return on.year - y - ((on.month, on.day) < (m, d))


def chunk_rng(seed: int, layer: str, key: ChunkKey) -> random.Random:
    # String seeds go through SHA-512 in CPython: stable across runs and processes.
    return random.Random(f"{seed}:{layer}:{key.county.code}:{key.k}")


class _PersonFactory:
    def __init__(self, rng: random.Random, key: ChunkKey) -> None:
        self.rng = rng
        self.key = key
        self.used: set[tuple[int, bool]] = set()
        weights = [w for _, w in ETHNICITIES]
        if key.county.code == "211223":
            weights = [55, 40, 2, 1, 1, 1]
        self.ethnic_cum = list(itertools.accumulate(weights))

    def birth(self, age: int) -> date:
        age = max(0, min(age, 104))
        latest = date(REFERENCE_DATE.year - age, REFERENCE_DATE.month, REFERENCE_DATE.day)
        return latest - timedelta(days=self.rng.randrange(365))

    def identity(self, born: date, male: bool) -> tuple[str, date]:
        while (born.toordinal(), male) in self.used:
            born = born - timedelta(days=1)
        self.used.add((born.toordinal(), male))
        slot = (self.key.k + 37 * born.toordinal()) % MAX_CHUNKS_PER_COUNTY
        return make_id_number(self.key.county.code, born, slot, male=male), born

    def ethnicity(self) -> str:
        return self.rng.choices(_ETHNIC_NAMES, cum_weights=self.ethnic_cum)[0]

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]

    def given(self, male: bool) -> str:
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        return "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))

    def phone(self, age: int) -> str:
        if age < 14:
            return ""  # children have no phone on the register
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def person(
        self,
        *,
        age: int,
        male: bool,
        surname: str,
        ethnicity: str,
        hh_number: str,
        address: str,
        relation: str,
    ) -> PersonRecord:
        id_number, born = self.identity(self.birth(age), male)
        real_age = age_on(born.isoformat())
        alive = not (real_age >= 70 and self.rng.random() < 0.03 and relation != "HEAD")
        return PersonRecord(
            id_number=id_number,
            name=surname + self.given(male),
            gender="MALE" if male else "FEMALE",
            birth_date=born.isoformat(),
            ethnicity=ethnicity,
            phone=self.phone(real_age),
            county_code=self.key.county.code,
            registered_address=address,
            household_number=hh_number,
            relation_to_head=relation,
            alive=alive,
        )


def _address(rng: random.Random, county: DivisionInfo, collective: bool) -> str:
    if county.urban:
        street = rng.choice(URBAN_STREETS[county.code])
        if collective:
            return (
                f"辽宁省铁岭市{county.name}{street}{rng.choice(ROADS)}{rng.randint(1, 200)}号集体户"
            )
        return (
            f"辽宁省铁岭市{county.name}{street}{rng.choice(ROADS)}{rng.randint(1, 200)}号"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}室"
        )
    town = rng.choice(TOWNS[county.code])
    village = rng.choice(VILLAGES)
    if collective:
        return f"辽宁省铁岭市{county.name}{town}{village}村村民委员会集体户"
    return f"辽宁省铁岭市{county.name}{town}{village}村{rng.randint(1, 12)}组{rng.randint(1, 99)}号"


def build_people(seed: int, key: ChunkKey) -> PeopleChunk:
    rng = chunk_rng(seed, "people", key)
    make = _PersonFactory(rng, key)
    persons: list[PersonRecord] = []
    households: list[HouseholdRecord] = []
    members: dict[str, list[PersonRecord]] = {}
    j = 0
    while len(persons) < key.persons:
        left = key.persons - len(persons)
        hh_number = f"{key.county.code}{key.k:04d}{j:05d}"
        j += 1
        collective = rng.random() < 0.02
        size = min(
            left,
            rng.randint(3, 6) if collective else rng.choices(range(1, 7), cum_weights=_SIZE_CUM)[0],
        )
        address = _address(rng, key.county, collective)
        common = {"hh_number": hh_number, "address": address}
        group: list[PersonRecord] = []
        if collective:
            for i in range(size):
                male = rng.random() < 0.5
                group.append(
                    make.person(
                        age=rng.randint(18, 60), male=male, surname=make.surname(),
                        ethnicity=make.ethnicity(), relation="HEAD" if i == 0 else "OTHER",
                        **common,
                    )
                )  # fmt: skip
        else:
            head_age = int(rng.triangular(22, 88, 45))
            head_male = rng.random() < 0.62
            surname = make.surname()
            ethnicity = make.ethnicity()
            group.append(
                make.person(age=head_age, male=head_male, surname=surname,
                            ethnicity=ethnicity, relation="HEAD", **common)
            )  # fmt: skip
            slots = size - 1
            if slots and rng.random() < 0.85:
                spouse_age = max(22 if not head_male else 20, head_age + rng.randint(-5, 5))
                group.append(
                    make.person(age=spouse_age, male=not head_male, surname=make.surname(),
                                ethnicity=ethnicity, relation="SPOUSE", **common)
                )  # fmt: skip
                slots -= 1
            if slots >= 2 and head_age < 65 and rng.random() < 0.4:
                father = rng.random() < 0.4
                group.append(
                    make.person(age=head_age + rng.randint(22, 32), male=father,
                                surname=surname if father else make.surname(),
                                ethnicity=ethnicity, relation="PARENT", **common)
                )  # fmt: skip
                slots -= 1
            has_spouse = len(group) > 1 and group[1].relation_to_head == "SPOUSE"
            father_surname = group[1].name[0] if has_spouse and not head_male else surname
            for _ in range(slots):
                child_age = max(0, head_age - rng.randint(22, 38))
                relation = "CHILD" if rng.random() < 0.95 else "OTHER"
                group.append(
                    make.person(age=child_age, male=rng.random() < 0.51, surname=father_surname,
                                ethnicity=ethnicity, relation=relation, **common)
                )  # fmt: skip
        household = HouseholdRecord(
            household_number=hh_number,
            county_code=key.county.code,
            address=address,
            head_id_number=group[0].id_number,
            kind="COLLECTIVE" if collective else "FAMILY",
        )
        households.append(household)
        members[hh_number] = group
        persons.extend(group)
    return PeopleChunk(key, persons, households, members)
