"""The in-memory index over one consistent reading of the four export files.

An :class:`ExportIndex` is immutable once built; the store swaps whole indexes, so a
request always sees one reading, never a mix of an old and a new one.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .exports import (
    CONTRIBUTIONS,
    EMPLOYMENTS,
    INSURED,
    PENSIONS,
    ContributionRow,
    EmploymentRow,
    ExportError,
    InsuredRow,
    PensionRow,
    parse_contribution_line,
    read_contribution_file,
    read_rows,
)

__all__ = ["ExportIndex", "build_index"]

_TYPE_ORDER = {"PENSION": 0, "MEDICAL": 1, "UNEMPLOYMENT": 2, "WORK_INJURY": 3, "MATERNITY": 4}


@dataclass(frozen=True)
class ExportIndex:
    insured: dict[str, InsuredRow]
    # validated export lines per identity number, joined by newlines (parsed on demand)
    contribution_lines: dict[str, str]
    contribution_rows: int
    employments_of_person: dict[str, tuple[EmploymentRow, ...]]
    employments_at_employer: dict[str, tuple[EmploymentRow, ...]]
    pensions: dict[str, PensionRow]
    # sorted id numbers per (county, status) filter; None in a slot means "any"
    _listing: dict[tuple[str | None, str | None], list[str]] = field(repr=False)

    def contributions_of(self, id_number: str) -> tuple[ContributionRow, ...]:
        """A person's contributions, newest period first, then by insurance type."""
        lines = self.contribution_lines.get(id_number)
        if lines is None:
            return ()
        rows = [parse_contribution_line(line) for line in lines.split("\n")]
        rows.sort(key=lambda c: (c.period, -_TYPE_ORDER[c.insurance_type]), reverse=True)
        return tuple(rows)

    def insured_ids(
        self, county: str | None, status: str | None, after: str | None, limit: int
    ) -> tuple[list[str], int]:
        """Up to ``limit`` insured id numbers after ``after`` (sorted), and the filter's total."""
        ids = self._listing.get((county, status), [])
        start = 0 if after is None else bisect.bisect_right(ids, after)
        return ids[start : start + limit], len(ids)


def _read(directory: Path, name: str) -> bytes:
    try:
        return (directory / name).read_bytes()
    except FileNotFoundError as exc:
        raise ExportError(f"{name}: missing from {directory}") from exc
    except OSError as exc:
        raise ExportError(f"{name}: cannot be read ({exc.strerror})") from exc


def build_index(directory: Path) -> ExportIndex:
    """Parse the four files in ``directory``; :class:`ExportError` if any is unusable."""
    insured: dict[str, InsuredRow] = {}
    listing: defaultdict[tuple[str | None, str | None], list[str]] = defaultdict(list)
    for row in read_rows(INSURED, _read(directory, INSURED)):
        assert isinstance(row, InsuredRow)
        insured[row.id_number] = row
    for id_number in sorted(insured):
        row = insured[id_number]
        for key in (
            (None, None), (row.county_code, None), (None, row.status),
            (row.county_code, row.status),
        ):  # fmt: skip
            listing[key].append(id_number)

    contribution_lines, contribution_rows = read_contribution_file(directory / CONTRIBUTIONS)

    of_person: defaultdict[str, list[EmploymentRow]] = defaultdict(list)
    at_employer: defaultdict[str, list[EmploymentRow]] = defaultdict(list)
    for job in read_rows(EMPLOYMENTS, _read(directory, EMPLOYMENTS)):
        assert isinstance(job, EmploymentRow)
        of_person[job.id_number].append(job)
        at_employer[job.employer_credit_code].append(job)

    pensions: dict[str, PensionRow] = {}
    for pension in read_rows(PENSIONS, _read(directory, PENSIONS)):
        assert isinstance(pension, PensionRow)
        pensions[pension.id_number] = pension

    def by_start(rows: list[EmploymentRow]) -> tuple[EmploymentRow, ...]:
        return tuple(sorted(rows, key=lambda e: (e.started_on, e.id_number)))

    return ExportIndex(
        insured=insured,
        contribution_lines=contribution_lines,
        contribution_rows=contribution_rows,
        employments_of_person={k: by_start(v) for k, v in of_person.items()},
        employments_at_employer={k: by_start(v) for k, v in at_employer.items()},
        pensions=pensions,
        _listing=dict(listing),
    )
