"""The deterministic synthetic dataset of Tieling: persons and what departments know of them.

``Dataset(DatasetConfig(seed, persons))`` hands out fresh iterators over records. The
population is split over the seven divisions by realistic shares, each county into
chunks of about a thousand persons; every chunk and every layer over it (civil affairs,
business, labour, estate) is rebuilt on demand from its own seeded RNG, so output is
identical for the same seed and a million persons stream in bounded memory.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from subgraphs.common.datagen_civil import CivilChunk, build_civil
from subgraphs.common.datagen_economy import (
    BusinessChunk,
    LabourChunk,
    build_business,
    build_labour,
)
from subgraphs.common.datagen_estate import EstateChunk, build_estate
from subgraphs.common.datagen_people import (
    MAX_CHUNKS_PER_COUNTY,
    REFERENCE_DATE,
    ChunkKey,
    PeopleChunk,
    build_people,
)
from subgraphs.common.divisions import DIVISIONS
from subgraphs.common.records import (
    ContributionRecord,
    DibaoCaseRecord,
    ElderlySubsidyRecord,
    EmploymentRecord,
    EnterpriseRecord,
    HouseholdRecord,
    MarriageRecord,
    ParcelRecord,
    PenaltyRecord,
    PensionRecord,
    PersonRecord,
    PropertyRecord,
)

__all__ = [
    "COUNTY_SHARES",
    "MAX_PERSONS",
    "REFERENCE_DATE",
    "Dataset",
    "DatasetChunk",
    "DatasetConfig",
]

# Share of the registered population per division (roughly Tieling's census shape).
COUNTY_SHARES = {
    "211202": 0.12,
    "211204": 0.05,
    "211221": 0.12,
    "211223": 0.10,
    "211224": 0.30,
    "211281": 0.08,
    "211282": 0.23,
}
CHUNK_PERSONS = 1000
MAX_PERSONS = 3_000_000  # identifier number spaces are sized for this

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DatasetConfig:
    seed: int = 20261126
    persons: int = 2000

    def __post_init__(self) -> None:
        if not 1 <= self.persons <= MAX_PERSONS:
            raise ValueError(f"persons must be between 1 and {MAX_PERSONS:,}, got {self.persons}")


def _county_sizes(total: int) -> list[int]:
    sizes = [int(total * COUNTY_SHARES[d.code]) for d in DIVISIONS]
    # Hand the rounding remainder to the largest counties first, deterministically.
    order = sorted(range(len(DIVISIONS)), key=lambda i: -COUNTY_SHARES[DIVISIONS[i].code])
    for i in range(total - sum(sizes)):
        sizes[order[i % len(order)]] += 1
    return sizes


class DatasetChunk:
    """All records of one chunk, each layer built once on first use.

    Seeders that write several kinds should walk :meth:`Dataset.by_chunk` rather than
    the per-kind iterators: every layer of a chunk is then generated exactly once.
    """

    def __init__(self, seed: int, key: ChunkKey) -> None:
        self.seed = seed
        self.key = key

    @functools.cached_property
    def people(self) -> PeopleChunk:
        return build_people(self.seed, self.key)

    @functools.cached_property
    def civil(self) -> CivilChunk:
        return build_civil(self.seed, self.people)

    @functools.cached_property
    def business(self) -> BusinessChunk:
        return build_business(self.seed, self.people)

    @functools.cached_property
    def labour(self) -> LabourChunk:
        return build_labour(self.seed, self.people, self.business)

    @functools.cached_property
    def estate(self) -> EstateChunk:
        return build_estate(self.seed, self.people, self.business)


class Dataset:
    """Fresh, deterministic iterators over the records of one synthetic Tieling."""

    def __init__(self, config: DatasetConfig | None = None) -> None:
        self.config = config or DatasetConfig()
        self.seed = self.config.seed
        # Tiny caches: consumers walk chunk by chunk, so neighbouring layers reuse the
        # chunk they were just built on; memory stays bounded by a couple of chunks.
        self._people = functools.lru_cache(maxsize=2)(self._build_people)
        self._business = functools.lru_cache(maxsize=2)(self._build_business)

    def chunks(self) -> Iterator[ChunkKey]:
        for index, (county, size) in enumerate(
            zip(DIVISIONS, _county_sizes(self.config.persons), strict=True)
        ):
            chunk = max(CHUNK_PERSONS, math.ceil(size / MAX_CHUNKS_PER_COUNTY))
            for k in range(math.ceil(size / chunk)):
                yield ChunkKey(county, index, k, min(chunk, size - k * chunk))

    def by_chunk(self) -> Iterator[DatasetChunk]:
        """Chunk after chunk (county by county), each with all its layers."""
        for key in self.chunks():
            yield DatasetChunk(self.seed, key)

    def _build_people(self, key: ChunkKey) -> PeopleChunk:
        return build_people(self.seed, key)

    def _build_business(self, key: ChunkKey) -> BusinessChunk:
        return build_business(self.seed, self._people(key))

    def _civil(self, key: ChunkKey) -> CivilChunk:
        return build_civil(self.seed, self._people(key))

    def _labour(self, key: ChunkKey) -> LabourChunk:
        return build_labour(self.seed, self._people(key), self._business(key))

    def _estate(self, key: ChunkKey) -> EstateChunk:
        return build_estate(self.seed, self._people(key), self._business(key))

    def _each(self, pick: Callable[[ChunkKey], list[T]]) -> Iterator[T]:
        for key in self.chunks():
            yield from pick(key)

    def persons(self) -> Iterator[PersonRecord]:
        return self._each(lambda k: self._people(k).persons)

    def households(self) -> Iterator[HouseholdRecord]:
        return self._each(lambda k: self._people(k).households)

    def marriages(self) -> Iterator[MarriageRecord]:
        return self._each(lambda k: self._civil(k).marriages)

    def dibao_cases(self) -> Iterator[DibaoCaseRecord]:
        return self._each(lambda k: self._civil(k).dibao_cases)

    def elderly_subsidies(self) -> Iterator[ElderlySubsidyRecord]:
        return self._each(lambda k: self._civil(k).elderly_subsidies)

    def enterprises(self) -> Iterator[EnterpriseRecord]:
        return self._each(lambda k: self._business(k).enterprises)

    def penalties(self) -> Iterator[PenaltyRecord]:
        return self._each(lambda k: self._business(k).penalties)

    def employments(self) -> Iterator[EmploymentRecord]:
        return self._each(lambda k: self._labour(k).employments)

    def contributions(self) -> Iterator[ContributionRecord]:
        return self._each(lambda k: self._labour(k).contributions)

    def pensions(self) -> Iterator[PensionRecord]:
        return self._each(lambda k: self._labour(k).pensions)

    def parcels(self) -> Iterator[ParcelRecord]:
        return self._each(lambda k: self._estate(k).parcels)

    def properties(self) -> Iterator[PropertyRecord]:
        return self._each(lambda k: self._estate(k).properties)

    KINDS = (
        "persons", "households", "marriages", "dibao_cases", "elderly_subsidies",
        "enterprises", "penalties", "employments", "contributions", "pensions",
        "parcels", "properties",
    )  # fmt: skip

    def fingerprint(self) -> str:
        """SHA-256 over every record of every kind: equal iff the datasets are equal."""
        digest = hashlib.sha256()
        for kind in self.KINDS:
            iterator: Iterator[Any] = getattr(self, kind)()
            digest.update(kind.encode())
            for record in iterator:
                digest.update(repr(record).encode())
        return digest.hexdigest()
