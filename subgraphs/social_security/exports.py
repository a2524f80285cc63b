"""The legacy system's nightly export format: file names, column names, code tables, rows.

Both sides of the export meet here: the seeder turns dataset records into rows, and the
index turns rows back into typed rows, refusing anything malformed with :class:`ExportError`
(which names the file, the line and the column).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "COLUMNS",
    "CONTRIBUTIONS",
    "EMPLOYMENTS",
    "FILES",
    "INSURANCE_TYPE_CODES",
    "INSURED",
    "INSURED_STATUS_CODES",
    "PENSIONS",
    "PENSION_STATUS_CODES",
    "ContributionRow",
    "EmploymentRow",
    "ExportError",
    "InsuredRow",
    "PensionRow",
    "from_legacy_date",
    "from_legacy_period",
    "parse_contribution_line",
    "read_contribution_file",
    "read_contribution_lines",
    "read_rows",
    "to_legacy_date",
    "to_legacy_period",
]

INSURED = "cbry.csv"  # 参保人员
CONTRIBUTIONS = "jfmx.csv"  # 缴费明细
EMPLOYMENTS = "jyxx.csv"  # 就业信息
PENSIONS = "ylj.csv"  # 养老金
FILES = (INSURED, CONTRIBUTIONS, EMPLOYMENTS, PENSIONS)

COLUMNS: dict[str, tuple[str, ...]] = {
    INSURED: ("SFZHM", "CBDQ", "CBRQ", "CBZT"),
    CONTRIBUTIONS: ("SFZHM", "JFNY", "XZLX", "JFJS", "GRJFE", "DWJFE", "DWTYXYDM"),
    EMPLOYMENTS: ("SFZHM", "DWTYXYDM", "RZRQ", "LZRQ", "GW"),
    PENSIONS: ("SFZHM", "YFJE", "QFRQ", "FFZT"),
}

# 参保状态: 1 正常参保, 2 暂停缴费, 3 离退休.
INSURED_STATUS_CODES = {"1": "ACTIVE", "2": "SUSPENDED", "3": "RETIRED"}
# 险种类型, the national insurance-type codes.
INSURANCE_TYPE_CODES = {
    "110": "PENSION",  # 企业职工基本养老保险
    "210": "UNEMPLOYMENT",  # 失业保险
    "310": "MEDICAL",  # 职工基本医疗保险
    "410": "WORK_INJURY",  # 工伤保险
    "510": "MATERNITY",  # 生育保险
}
# 发放状态: 1 正常发放, 2 暂停发放.
PENSION_STATUS_CODES = {"1": "PAYING", "2": "SUSPENDED"}

# One contribution line, checked in a single regex pass: the file is the big one (about
# nine lines per insured person), so it is validated line by line but parsed only when
# a person's contributions are asked for.
_CONTRIBUTION_LINE = re.compile(
    r"(?P<id>[0-9]{17}[0-9X]),(?P<period>[0-9]{4}(?:0[1-9]|1[0-2])),(?P<type>110|210|310|410|510),"
    r"(?P<base>[0-9]+(?:\.[0-9]+)?),(?P<personal>[0-9]+(?:\.[0-9]+)?),(?P<employer>[0-9]+(?:\.[0-9]+)?),"
    r"(?P<code>[0-9A-HJ-NP-RTUWXY]{18})?"
)
_DATE = re.compile(r"^\d{8}$")
_PERIOD = re.compile(r"^\d{4}(0[1-9]|1[0-2])$")


class ExportError(ValueError):
    """An export file that cannot be read (missing, half-written, or malformed)."""


def to_legacy_date(iso: str) -> str:
    return iso.replace("-", "")


def from_legacy_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"{value!r} is not a YYYYMMDD date")
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def to_legacy_period(period: str) -> str:
    return period.replace("-", "")


def from_legacy_period(value: str) -> str:
    if not _PERIOD.match(value):
        raise ValueError(f"{value!r} is not a YYYYMM period")
    return f"{value[:4]}-{value[4:]}"


@dataclass(frozen=True, slots=True)
class InsuredRow:
    id_number: str
    county_code: str
    insured_since: str
    status: str  # InsuranceStatus member name


@dataclass(frozen=True, slots=True)
class ContributionRow:
    id_number: str
    period: str  # YYYY-MM
    insurance_type: str  # InsuranceType member name
    base: float
    personal_amount: float
    employer_amount: float
    employer_credit_code: str | None


@dataclass(frozen=True, slots=True)
class EmploymentRow:
    id_number: str
    employer_credit_code: str
    started_on: str
    ended_on: str | None
    position: str


@dataclass(frozen=True, slots=True)
class PensionRow:
    id_number: str
    monthly_amount: float
    since: str
    status: str  # PensionStatus member name


Row = InsuredRow | ContributionRow | EmploymentRow | PensionRow


def _parse(name: str, v: list[str]) -> Row:
    if name == INSURED:
        return InsuredRow(v[0], v[1], from_legacy_date(v[2]), INSURED_STATUS_CODES[v[3]])
    if name == CONTRIBUTIONS:
        return ContributionRow(
            v[0], from_legacy_period(v[1]), INSURANCE_TYPE_CODES[v[2]],
            float(v[3]), float(v[4]), float(v[5]), v[6] or None,
        )  # fmt: skip
    if name == EMPLOYMENTS:
        ended = from_legacy_date(v[3]) if v[3] else None
        return EmploymentRow(v[0], v[1], from_legacy_date(v[2]), ended, v[4])
    return PensionRow(v[0], float(v[1]), from_legacy_date(v[2]), PENSION_STATUS_CODES[v[3]])


def read_rows(name: str, content: bytes) -> Iterator[Row]:
    """Typed rows of one export file's bytes; :class:`ExportError` on anything malformed.

    The export job ends every line with a newline; a file that does not is still being
    written (or was cut short) and is refused as a whole.
    """
    if not content.endswith(b"\n"):
        raise ExportError(f"{name}: does not end with a newline (incomplete file)")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS[name]:
        raise ExportError(f"{name}: header must be {','.join(COLUMNS[name])}, got {header}")
    width = len(COLUMNS[name])
    for values in reader:
        if len(values) != width:
            raise ExportError(
                f"{name} line {reader.line_num}: {len(values)} columns, expected {width}"
            )
        try:
            yield _parse(name, values)
        except (ValueError, KeyError) as exc:
            raise ExportError(f"{name} line {reader.line_num}: {exc}") from exc


def read_contribution_lines(content: bytes) -> tuple[dict[str, str], int]:
    """:func:`read_contribution_file` over bytes already in memory."""
    if not content.endswith(b"\n"):
        raise ExportError(f"{CONTRIBUTIONS}: does not end with a newline (incomplete file)")
    return _group_contributions(io.BytesIO(content))


def read_contribution_file(path: Path) -> tuple[dict[str, str], int]:
    """The contribution file's lines grouped by identity number, and the number of rows.

    Every line is validated, but a person's lines stay one unparsed string joined by
    newlines (about the size of the file itself, a fraction of parsed rows); see
    :func:`parse_contribution_line`. The file is streamed, and runs of one person's
    lines (the export writes them together) are joined as they pass, so the peak memory
    stays near the result's. Quoted fields are refused: this export never quotes.
    """
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, io.SEEK_END)
            if size > 0:
                handle.seek(size - 1)
            if size == 0 or handle.read(1) != b"\n":
                raise ExportError(f"{CONTRIBUTIONS}: does not end with a newline (incomplete file)")
            handle.seek(0)
            return _group_contributions(handle)
    except FileNotFoundError as exc:
        raise ExportError(f"{CONTRIBUTIONS}: missing from {path.parent}") from exc
    except OSError as exc:
        raise ExportError(f"{CONTRIBUTIONS}: cannot be read ({exc.strerror})") from exc


def _group_contributions(raw: BinaryIO) -> tuple[dict[str, str], int]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    grouped: dict[str, str] = {}
    run_id, run = "", list[str]()  # the current run of one person's consecutive lines
    match = _CONTRIBUTION_LINE.fullmatch
    number = 0

    def flush() -> None:
        if run:
            joined = "\n".join(run)
            previous = grouped.get(run_id)
            grouped[run_id] = joined if previous is None else previous + "\n" + joined

    try:
        for number, raw_line in enumerate(text, start=1):
            line = raw_line.rstrip("\r\n")
            if number == 1:
                if tuple(h.strip() for h in line.split(",")) != COLUMNS[CONTRIBUTIONS]:
                    raise ExportError(
                        f"{CONTRIBUTIONS}: header must be "
                        f"{','.join(COLUMNS[CONTRIBUTIONS])}, got {line!r}"
                    )
                continue
            if match(line) is None:
                raise ExportError(
                    f"{CONTRIBUTIONS} line {number}: not a contribution row: {line!r}"
                )
            if line[:18] != run_id:
                flush()
                run_id, run = line[:18], []
            run.append(line)
    except UnicodeDecodeError as exc:
        raise ExportError(f"{CONTRIBUTIONS}: not UTF-8 ({exc.reason})") from exc
    if number == 0:
        raise ExportError(f"{CONTRIBUTIONS}: header must be {','.join(COLUMNS[CONTRIBUTIONS])}")
    flush()
    return grouped, number - 1


def parse_contribution_line(line: str) -> ContributionRow:
    """A line accepted by :func:`read_contribution_lines`, as a typed row."""
    found = _CONTRIBUTION_LINE.fullmatch(line)
    if found is None:
        raise ExportError(f"{CONTRIBUTIONS}: not a contribution row: {line!r}")
    period = found["period"]
    return ContributionRow(
        id_number=found["id"],
        period=f"{period[:4]}-{period[4:]}",
        insurance_type=INSURANCE_TYPE_CODES[found["type"]],
        base=float(found["base"]),
        personal_amount=float(found["personal"]),
        employer_amount=float(found["employer"]),
        employer_credit_code=found["code"],
    )
