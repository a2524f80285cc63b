"""The two access-log backends behind one test interface, with ways to tamper with each."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from gateway.accesslog import AccessLog, AccessRecord, FileAccessLog, PostgresAccessLog

ZHANG = "211202198001011239"
LI = "211221199205154323"


def record(n: int, *, subjects: tuple[str, ...] = (ZHANG,), **overrides: Any) -> AccessRecord:
    values: dict[str, Any] = {
        "time": f"2026-11-26T09:{n % 60:02d}:00.000000Z",
        "subject": "officer-0042",
        "client_id": "tieling-portal",
        "purpose": "低保资格审核 (dibao eligibility check)",
        "case": f"DB-2026-{n:04d}",
        "operation_name": "DibaoCheck",
        "operation_hash": f"{n:064x}",
        "fields": ("Person.name", "Person.idNumber", "Household.members"),
        "data_subjects": subjects,
        "policy_version": "2026-11-01",
        "decision": "allowed",
    }
    values.update(overrides)
    return AccessRecord(**values)


class FileBackend:
    name = "file"

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "access-log.jsonl"

    def open(self, key: bytes | None = None) -> AccessLog:
        return FileAccessLog(self.path, key=key)

    def _lines(self) -> list[bytes]:
        return self.path.read_bytes().splitlines(keepends=True)

    def _save(self, lines: list[bytes]) -> None:
        self.path.write_bytes(b"".join(lines))

    async def edit(self, seq: int, field: str, value: Any) -> None:
        lines = self._lines()
        data = orjson.loads(lines[seq - 1])
        data[field] = value
        lines[seq - 1] = orjson.dumps(data, option=orjson.OPT_SORT_KEYS) + b"\n"
        self._save(lines)

    async def replace_body(self, seq: int, data: dict[str, Any]) -> None:
        lines = self._lines()
        lines[seq - 1] = orjson.dumps(data, option=orjson.OPT_SORT_KEYS) + b"\n"
        self._save(lines)

    async def body(self, seq: int) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads(self._lines()[seq - 1])
        return data

    async def delete(self, seq: int) -> None:
        lines = self._lines()
        del lines[seq - 1]
        self._save(lines)

    async def swap(self, a: int, b: int) -> None:
        lines = self._lines()
        lines[a - 1], lines[b - 1] = lines[b - 1], lines[a - 1]
        self._save(lines)

    async def truncate_after(self, seq: int) -> None:
        self._save(self._lines()[:seq])

    async def drop(self) -> None:
        return None


class PostgresBackend:
    name = "postgres"

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.table = "log_" + uuid.uuid4().hex[:12]

    def open(self, key: bytes | None = None) -> AccessLog:
        return PostgresAccessLog(f"{self.database_url}?table={self.table}", key=key)

    async def _execute(self, sql: str, *args: Any) -> Any:
        connection = await asyncpg.connect(self.database_url)
        try:
            return await connection.fetch(sql, *args)
        finally:
            await connection.close()

    async def body(self, seq: int) -> dict[str, Any]:
        rows = await self._execute(f"SELECT body FROM {self.table} WHERE seq = $1", seq)
        data: dict[str, Any] = orjson.loads(rows[0]["body"])
        return data

    async def replace_body(self, seq: int, data: dict[str, Any]) -> None:
        await self._execute(
            f"UPDATE {self.table} SET body = $2, hash = $3 WHERE seq = $1",
            seq,
            orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode(),
            data["hash"],
        )

    async def edit(self, seq: int, field: str, value: Any) -> None:
        data = await self.body(seq)
        data[field] = value
        await self.replace_body(seq, data)

    async def delete(self, seq: int) -> None:
        await self._execute(f"DELETE FROM {self.table} WHERE seq = $1", seq)

    async def swap(self, a: int, b: int) -> None:
        await self._execute(
            f"""UPDATE {self.table} AS t SET body = o.body, hash = o.hash,
                data_subjects = o.data_subjects
                FROM {self.table} AS o
                WHERE (t.seq, o.seq) IN (($1, $2), ($2, $1))""",
            a,
            b,
        )

    async def truncate_after(self, seq: int) -> None:
        await self._execute(f"DELETE FROM {self.table} WHERE seq > $1", seq)

    async def drop(self) -> None:
        await self._execute(f"DROP TABLE IF EXISTS {self.table}, {self.table}_head")
