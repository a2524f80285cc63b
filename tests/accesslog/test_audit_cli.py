"""Spec: `govgraph audit` answers auditors and citizens, and fails loudly on a broken chain."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
from accesslog_backends import LI, ZHANG, record
from click.testing import CliRunner

from gateway.accesslog import FileAccessLog
from gateway.cli import main


def filled_log(tmp_path: Path) -> Path:
    path = tmp_path / "access-log.jsonl"

    async def fill() -> None:
        log = FileAccessLog(path)
        await log.append(record(1, subjects=(ZHANG,)))
        await log.append(record(2, subjects=(LI,), client_id="liaoning-exchange"))
        await log.append(
            record(3, subjects=(ZHANG,), suppressed_until="2999-12-31", purpose="investigation")
        )

    asyncio.run(fill())
    return path


def test_verify_reports_an_intact_log_with_its_head(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    result = CliRunner().invoke(main, ["audit", "verify", "--log", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 3 records verified (head seq 3 hash ")


def test_verify_exits_1_and_names_the_bad_record(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    edited = orjson.loads(lines[1])
    edited["purpose"] = "nothing to see"
    lines[1] = orjson.dumps(edited) + b"\n"
    path.write_bytes(b"".join(lines))
    result = CliRunner().invoke(main, ["audit", "verify", "--log", str(path)])
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        "BROKEN at seq 2: record 2 was altered (its hash does not match)"
    )


def test_query_shows_a_citizen_who_read_their_data(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    result = CliRunner().invoke(main, ["audit", "query", "--subject", ZHANG, "--log", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "seq",
        "when",
        "(UTC)",
        "who",
        "client",
        "purpose",
        "/",
        "case",
        "fields",
        "decision",
    ]
    assert len(lines) == 3  # header, rule, the one visible read
    assert "officer-0042" in lines[2] and "tieling-portal" in lines[2]
    assert "Person.idNumber" in lines[2] and "DB-2026-0001" in lines[2]


def test_query_with_include_suppressed_shows_hidden_reads_to_auditors(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    result = CliRunner().invoke(
        main, ["audit", "query", "--subject", ZHANG, "--include-suppressed", "--log", str(path)]
    )
    assert result.exit_code == 0
    assert "hidden until 2999-12-31" in result.stdout
    assert len(result.stdout.splitlines()) == 4


def test_query_for_someone_never_read_says_so(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    result = CliRunner().invoke(
        main, ["audit", "query", "--subject", "211202197503100026", "--log", str(path)]
    )
    assert result.stdout.strip() == "No recorded reads of data about 211202197503100026."


def test_tail_prints_the_latest_records_as_json(tmp_path: Path) -> None:
    path = filled_log(tmp_path)
    result = CliRunner().invoke(main, ["audit", "tail", "-n", "2", "--json", "--log", str(path)])
    assert [orjson.loads(line)["seq"] for line in result.stdout.splitlines()] == [2, 3]


def test_an_unsupported_log_location_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", "verify", "--log", "redis://127.0.0.1/0"])
    assert result.exit_code == 1
    assert "use a file path or a postgresql:// URL" in result.output
    assert "Traceback" not in result.output


def test_the_table_aligns_chinese_text_by_display_width() -> None:
    from gateway.accesslog import ChainHasher
    from gateway.cli.audit import _display_width, format_table

    wide, _ = ChainHasher().seal(record(1, purpose="低保资格审核"), 1, "0" * 64)
    narrow, _ = ChainHasher().seal(record(2, purpose="dibao check!"), 2, wide.hash)
    _, _, first, second = format_table([wide, narrow]).splitlines()

    # "低保资格审核" is 6 characters but 12 columns, as wide as "dibao check!".
    def column(line: str, text: str) -> int:
        return _display_width(line[: line.index(text)])

    assert column(first, "DB-2026-0001") == column(second, "DB-2026-0002")
