"""Reading the export format: what is accepted, and how a refusal names file, line and column."""

from __future__ import annotations

import pytest
from social_security_sample import FACTORY, WANG

from subgraphs.social_security.exports import (
    ContributionRow,
    ExportError,
    parse_contribution_line,
    read_contribution_lines,
)

HEADER = b"SFZHM,JFNY,XZLX,JFJS,GRJFE,DWJFE,DWTYXYDM\n"


def test_contribution_lines_are_grouped_by_person_and_parsed_on_demand() -> None:
    assert WANG.endswith("X")  # the check character X must pass the line check
    content = (
        HEADER
        + (
            f"{WANG},202609,310,5000.00,100.00,200.00,{FACTORY}\n{WANG},202609,110,5000,400,0,\n"
        ).encode()
    )
    grouped, rows = read_contribution_lines(content)
    assert rows == 2
    assert list(grouped) == [WANG]
    assert [parse_contribution_line(line) for line in grouped[WANG].split("\n")] == [
        ContributionRow(WANG, "2026-09", "MEDICAL", 5000.0, 100.0, 200.0, FACTORY),
        ContributionRow(WANG, "2026-09", "PENSION", 5000.0, 400.0, 0.0, None),
    ]


def test_a_windows_line_ending_export_is_read_too() -> None:
    content = (HEADER.decode().replace("\n", "\r\n") + f"{WANG},202609,110,1,1,0,\r\n").encode()
    grouped, _ = read_contribution_lines(content)
    assert grouped[WANG] == f"{WANG},202609,110,1,1,0,"


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (f"{WANG},2026-09,110,1,1,0,", "a period with a dash"),
        (f"{WANG},202613,110,1,1,0,", "month 13"),
        (f"{WANG},202609,999,1,1,0,", "an unknown insurance type"),
        (f'"{WANG}",202609,110,1,1,0,', "a quoted field"),
        (f"{WANG},202609,110,1,1,0,{FACTORY[:-1]}I", "a credit code with I"),
        (f"{WANG},202609,110,1,1,0", "a missing column"),
    ],
)
def test_a_malformed_contribution_line_is_refused_with_its_line_number(line: str, why: str) -> None:
    with pytest.raises(ExportError) as raised:
        read_contribution_lines(HEADER + f"{WANG},202609,110,1,1,0,\n{line}\n".encode())
    assert str(raised.value).startswith("jfmx.csv line 3: not a contribution row"), why


def test_a_wrong_header_is_refused() -> None:
    with pytest.raises(ExportError, match=r"jfmx\.csv: header must be SFZHM,JFNY"):
        read_contribution_lines(b"ID,PERIOD\n")
