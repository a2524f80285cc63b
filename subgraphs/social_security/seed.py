"""Write the legacy system's nightly CSV exports from the synthetic dataset.

The dataset has no "insured person" record; the legacy system's register is derived the
way the bureau's own would read: whoever pays contributions or draws a pension is
insured, registered in their household-registration county; RETIRED with a pension,
ACTIVE when paying in the latest exported period, SUSPENDED otherwise.

Each file is written under a temporary name and renamed over the old one when complete,
so the running subgraph never parses a half-written export.
"""

from __future__ import annotations

import asyncio
import csv
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TextIO

from subgraphs.common.records import (
    ContributionRecord,
    EmploymentRecord,
    PensionRecord,
    PersonRecord,
)

from .exports import (
    COLUMNS,
    CONTRIBUTIONS,
    EMPLOYMENTS,
    INSURANCE_TYPE_CODES,
    INSURED,
    INSURED_STATUS_CODES,
    PENSION_STATUS_CODES,
    PENSIONS,
    to_legacy_date,
    to_legacy_period,
)

__all__ = ["ExportSource", "seed", "write_exports"]

_TYPE_CODE = {name: code for code, name in INSURANCE_TYPE_CODES.items()}
_STATUS_CODE = {name: code for code, name in INSURED_STATUS_CODES.items()}
_PENSION_CODE = {name: code for code, name in PENSION_STATUS_CODES.items()}
# A pension needs at least 15 contribution years; the register dates retirees from then.
_MIN_CONTRIBUTION_YEARS = 15


class ExportSource(Protocol):
    """What the seeder needs of ``subgraphs.common.datagen.Dataset``."""

    def persons(self) -> Iterable[PersonRecord]: ...

    def contributions(self) -> Iterable[ContributionRecord]: ...

    def employments(self) -> Iterable[EmploymentRecord]: ...

    def pensions(self) -> Iterable[PensionRecord]: ...


@contextmanager
def _atomic_csv(directory: Path, name: str) -> Iterator[TextIO]:
    final = directory / name
    temporary = directory / f".{name}.{os.getpid()}.tmp"
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerow(COLUMNS[name])
            yield handle
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def _years_before(iso: str, years: int) -> str:
    year, month, day = iso.split("-")
    day = "28" if (month, day) == ("02", "29") else day
    return f"{int(year) - years:04d}-{month}-{day}"


def write_exports(source: ExportSource, directory: Path) -> int:
    """Replace the four export files in ``directory``; returns the rows written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    periods: dict[str, tuple[str, str]] = {}  # id -> (first period, last period)
    with _atomic_csv(directory, CONTRIBUTIONS) as handle:
        out = csv.writer(handle, lineterminator="\n")
        for c in source.contributions():
            out.writerow([
                c.id_number, to_legacy_period(c.period), _TYPE_CODE[c.insurance_type],
                f"{c.base:.2f}", f"{c.personal_amount:.2f}", f"{c.employer_amount:.2f}",
                c.employer_credit_code or "",
            ])  # fmt: skip
            first, last = periods.get(c.id_number, (c.period, c.period))
            periods[c.id_number] = (min(first, c.period), max(last, c.period))
            written += 1
    latest = max((last for _, last in periods.values()), default="")

    first_job: dict[str, str] = {}
    with _atomic_csv(directory, EMPLOYMENTS) as handle:
        out = csv.writer(handle, lineterminator="\n")
        for e in source.employments():
            out.writerow([
                e.id_number, e.employer_credit_code, to_legacy_date(e.started_on),
                to_legacy_date(e.ended_on) if e.ended_on else "", e.position,
            ])  # fmt: skip
            first_job[e.id_number] = min(first_job.get(e.id_number, e.started_on), e.started_on)
            written += 1

    pension_since: dict[str, str] = {}
    with _atomic_csv(directory, PENSIONS) as handle:
        out = csv.writer(handle, lineterminator="\n")
        for p in source.pensions():
            out.writerow([
                p.id_number, f"{p.monthly_amount:.2f}", to_legacy_date(p.since),
                _PENSION_CODE[p.status],
            ])  # fmt: skip
            pension_since[p.id_number] = p.since
            written += 1

    with _atomic_csv(directory, INSURED) as handle:
        out = csv.writer(handle, lineterminator="\n")
        for person in source.persons():
            paid = periods.get(person.id_number)
            retired_since = pension_since.get(person.id_number)
            if paid is None and retired_since is None:
                continue
            if retired_since is not None:
                status = "RETIRED"
                since = _years_before(retired_since, _MIN_CONTRIBUTION_YEARS)
            else:
                assert paid is not None
                status = "ACTIVE" if paid[1] == latest else "SUSPENDED"
                since = min(f"{paid[0]}-01", first_job.get(person.id_number, "9999"))
            out.writerow([
                person.id_number, person.county_code, to_legacy_date(since), _STATUS_CODE[status],
            ])  # fmt: skip
            written += 1
    return written


async def seed(dataset: ExportSource, target: str) -> int:
    """Replace the CSV exports in directory ``target``; returns the rows written."""
    return await asyncio.to_thread(write_exports, dataset, Path(target))
