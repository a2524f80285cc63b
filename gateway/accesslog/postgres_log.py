"""PostgresAccessLog: the chain in a PostgreSQL table, shared by every gateway process.

Each batch of appends is one transaction that first locks the head row
(``SELECT … FOR UPDATE`` on ``<table>_head``), so appends from all processes are
serialised and the chain stays linear; commit makes the records durable before
``append`` returns. The canonical JSON of each record is stored verbatim in ``body``;
``data_subjects`` is a GIN-indexed copy for citizen queries, checked against ``body``
by ``verify``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import asyncpg
import orjson

from .base import AccessLogError, GroupCommit, visible_to_citizen
from .chain import GENESIS, ChainHasher, ChainVerifier, Entry, Head, VerifyReport, stored_from_dict
from .record import AccessRecord, StoredRecord

__all__ = ["DEFAULT_TABLE", "PostgresAccessLog"]

DEFAULT_TABLE = "govgraph_access_log"
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")


def _split_url(url: str) -> tuple[str, str]:
    """The asyncpg DSN and the table name (``?table=`` in the URL, else the default)."""
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    query = parse_qsl(parts.query)
    table = next((value for name, value in query if name == "table"), DEFAULT_TABLE)
    rest = urlencode([(name, value) for name, value in query if name != "table"])
    return urlunsplit(parts._replace(query=rest)), table


def _entry(row: asyncpg.Record) -> Entry:
    try:
        data = orjson.loads(row["body"])
    except orjson.JSONDecodeError as exc:
        return row["seq"], None, f"body is not JSON: {exc}"
    if not isinstance(data, dict):
        return row["seq"], None, "body is not a JSON object"
    # The plain columns must say what the sealed body says; a row whose columns were
    # edited apart from its body is not trusted.
    if (
        data.get("seq") != row["seq"]
        or data.get("hash") != row["hash"]
        or data.get("data_subjects") != list(row["data_subjects"])
    ):
        return row["seq"], data, "columns disagree with its sealed body"
    return row["seq"], data, None


class PostgresAccessLog:
    """The access log in PostgreSQL (``postgresql://…[?table=name]``)."""

    def __init__(
        self,
        url: str,
        *,
        key: bytes | None = None,
        table: str | None = None,
        max_batch: int = 256,
    ) -> None:
        self.dsn, url_table = _split_url(url)
        self.table = table or url_table
        if not _TABLE_NAME.match(self.table):
            raise ValueError(
                f"access log table name {self.table!r} must match {_TABLE_NAME.pattern}"
            )
        self.hasher = ChainHasher(key)
        self._pool: asyncpg.Pool | None = None
        self._pool_lock = asyncio.Lock()
        self._commit = GroupCommit(self._write, max_batch=max_batch)

    async def _connect(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        async with self._pool_lock:
            return await self._create_pool()

    async def _create_pool(self) -> asyncpg.Pool:
        if self._pool is None:
            try:
                pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=4)
            except (OSError, asyncpg.PostgresError) as exc:
                raise AccessLogError(f"cannot connect to the access log database: {exc}") from exc
            t = self.table
            try:
                async with pool.acquire() as connection, connection.transaction():
                    # Serialise concurrent first-time creation across processes.
                    await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", t)
                    await connection.execute(
                        f"""
                        CREATE TABLE IF NOT EXISTS {t} (
                            seq bigint PRIMARY KEY,
                            data_subjects text[] NOT NULL,
                            body text NOT NULL,
                            hash text NOT NULL
                        );
                        CREATE INDEX IF NOT EXISTS {t}_subjects ON {t} USING gin (data_subjects);
                        CREATE TABLE IF NOT EXISTS {t}_head (
                            id int PRIMARY KEY CHECK (id = 1),
                            seq bigint NOT NULL,
                            hash text NOT NULL
                        );
                        """
                    )
                    await connection.execute(
                        f"INSERT INTO {t}_head VALUES (1, 0, $1) ON CONFLICT DO NOTHING", GENESIS
                    )
            except (OSError, asyncpg.PostgresError) as exc:
                await pool.close()
                raise AccessLogError(f"cannot prepare the access log table {t}: {exc}") from exc
            self._pool = pool
        return self._pool

    async def append(self, record: AccessRecord) -> StoredRecord:
        return await self._commit.submit(record)

    async def _write(self, records: Sequence[AccessRecord]) -> list[StoredRecord]:
        pool = await self._connect()
        t = self.table
        try:
            async with pool.acquire() as connection, connection.transaction():
                tip = await connection.fetchrow(
                    f"SELECT seq, hash FROM {t}_head WHERE id = 1 FOR UPDATE"
                )
                seq, prev_hash = int(tip["seq"]), str(tip["hash"])
                stored, rows = [], []
                for record in records:
                    seq += 1
                    item, line = self.hasher.seal(record, seq, prev_hash)
                    stored.append(item)
                    rows.append(
                        (seq, list(record.data_subjects), line.decode().rstrip("\n"), item.hash)
                    )
                    prev_hash = item.hash
                await connection.executemany(f"INSERT INTO {t} VALUES ($1, $2, $3, $4)", rows)
                await connection.execute(
                    f"UPDATE {t}_head SET seq = $1, hash = $2 WHERE id = 1", seq, prev_hash
                )
        except (OSError, asyncpg.PostgresError) as exc:
            raise AccessLogError(f"cannot write the access log: {exc}") from exc
        return stored

    async def _rows(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        pool = await self._connect()
        try:
            async with pool.acquire() as connection:
                return list(await connection.fetch(sql, *args))
        except (OSError, asyncpg.PostgresError) as exc:
            raise AccessLogError(f"cannot read the access log: {exc}") from exc

    async def verify(self) -> VerifyReport:
        try:
            return await self._verify()
        except (OSError, asyncpg.PostgresError) as exc:
            raise AccessLogError(f"cannot read the access log: {exc}") from exc

    async def _verify(self) -> VerifyReport:
        pool = await self._connect()
        t = self.table
        async with (
            pool.acquire() as connection,
            connection.transaction(isolation="repeatable_read", readonly=True),
        ):
            head = await connection.fetchrow(f"SELECT seq, hash FROM {t}_head WHERE id = 1")
            anchor = Head(int(head["seq"]), str(head["hash"])) if head else None
            cursor = connection.cursor(
                f"SELECT seq, data_subjects, body, hash FROM {t} ORDER BY seq"
            )
            verifier = ChainVerifier(self.hasher, anchor=anchor, where="row with seq")
            async for row in cursor:
                report = verifier.feed(_entry(row))
                if report is not None:
                    return report
        return verifier.finish()

    async def query(self, subject: str, *, include_suppressed: bool = False) -> list[StoredRecord]:
        rows = await self._rows(
            f"SELECT body FROM {self.table} WHERE data_subjects @> ARRAY[$1]::text[] ORDER BY seq",
            subject,
        )
        found = [stored_from_dict(orjson.loads(row["body"])) for row in rows]
        return [
            s
            for s in found
            if subject in s.record.data_subjects and visible_to_citizen(s, include_suppressed)
        ]

    async def tail(self, limit: int = 20) -> list[StoredRecord]:
        rows = await self._rows(f"SELECT body FROM {self.table} ORDER BY seq DESC LIMIT $1", limit)
        return [stored_from_dict(orjson.loads(row["body"])) for row in reversed(rows)]

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
