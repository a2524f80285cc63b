"""Spec: the file backend's own cases (torn writes, several processes), the factory, and
backend failures that must surface as AccessLogError."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest
from accesslog_backends import record

from gateway.accesslog import (
    AccessLogError,
    AccessRecord,
    FileAccessLog,
    PostgresAccessLog,
    open_access_log,
)


async def test_a_torn_last_line_is_set_aside_and_the_chain_continues(tmp_path: Path) -> None:
    path = tmp_path / "access-log.jsonl"
    log = FileAccessLog(path)
    await log.append(record(1))
    with open(path, "ab") as handle:
        handle.write(b'{"seq": 2, "subj')  # a crash in the middle of a write
    assert (await log.verify()).first_bad_seq == 2
    stored = await log.append(record(2))
    assert stored.seq == 2
    assert (await log.verify()).ok
    assert (tmp_path / "access-log.jsonl.torn").read_bytes() == b'{"seq": 2, "subj\n'


async def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "access-log.jsonl"
    log = FileAccessLog(path)
    for n in (1, 2, 3):
        await log.append(record(n))
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = b"garbage\n"
    path.write_bytes(b"".join(lines))
    report = await log.verify()
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert report.problem is not None and report.problem.startswith("line 2 is not a readable")


async def test_appending_after_an_unreadable_last_record_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "access-log.jsonl"
    path.write_bytes(b"not a record\n")
    with pytest.raises(AccessLogError, match="audit verify"):
        await FileAccessLog(path).append(record(1))


async def test_an_unwritable_location_is_an_access_log_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(AccessLogError, match="cannot write the access log"):
        await FileAccessLog(blocker / "access-log.jsonl").append(record(1))


def test_records_name_fields_never_values() -> None:
    with pytest.raises(ValueError, match=r"Type\.field coordinates"):
        record(1, fields=("211202198001011239",))
    with pytest.raises(ValueError, match="decision must be one of"):
        record(1, decision="maybe")
    with pytest.raises(ValueError, match="ISO 8601"):
        record(1, suppressed_until="next spring")


def test_open_access_log_picks_the_backend_from_the_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GOVGRAPH_ACCESS_LOG_KEY", "k")
    default = open_access_log()
    assert isinstance(default, FileAccessLog)
    assert default.path == tmp_path / "access-log.jsonl"
    assert default.hasher.mac == "hmac-sha256"
    postgres = open_access_log("postgresql://postgres@127.0.0.1/db?table=audit_2026")
    assert isinstance(postgres, PostgresAccessLog)
    assert (postgres.table, postgres.dsn) == ("audit_2026", "postgresql://postgres@127.0.0.1/db")
    with pytest.raises(ValueError, match="use a file path or a postgresql:// URL"):
        open_access_log("redis://127.0.0.1:6379/0")
    with pytest.raises(ValueError, match="table name"):
        open_access_log("postgresql://h/db?table=x;drop")


def test_two_processes_appending_to_one_file_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "access-log.jsonl"
    script = textwrap.dedent(
        f"""
        import asyncio
        from gateway.accesslog import AccessRecord, FileAccessLog

        async def main():
            log = FileAccessLog({str(path)!r})
            await asyncio.gather(*(
                log.append(AccessRecord(operation_hash="ab", decision="allowed"))
                for _ in range(40)
            ))

        asyncio.run(main())
        """
    )
    writers = [subprocess.Popen([sys.executable, "-c", script]) for _ in range(2)]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    seqs = [orjson.loads(line)["seq"] for line in path.read_bytes().splitlines()]
    assert seqs == list(range(1, 81))
    report = asyncio.run(FileAccessLog(path).verify())
    assert (report.ok, report.records) == (True, 80)


def test_an_access_record_defaults_its_time_to_now_in_utc() -> None:
    made = AccessRecord(operation_hash="ab", decision="dry-run")
    assert made.time.endswith("Z") and made.time[:2] == "20"


async def test_an_unreachable_database_is_an_access_log_error_not_a_crash() -> None:
    log = PostgresAccessLog("postgresql://postgres@127.0.0.1:1/nowhere")
    with pytest.raises(AccessLogError, match="cannot connect to the access log database"):
        await log.append(record(1))
    with pytest.raises(AccessLogError, match="cannot connect to the access log database"):
        await log.verify()


def test_a_record_of_a_principal_names_its_subject_and_client() -> None:
    from gateway.policy.principal import Principal

    officer = Principal(kind="user", subject="officer-0042", client_id="tieling-portal")
    made = AccessRecord.of(
        officer, operation_hash="ab", decision="filtered", fields=("Person.name",)
    )
    assert (made.subject, made.client_id, made.decision, made.fields) == (
        "officer-0042",
        "tieling-portal",
        "filtered",
        ("Person.name",),
    )
