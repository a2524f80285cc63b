"""The registry's own SQLite store: its tables, the rows it serves and the seizure write.

Tables use the registry's column names (pinyin initials, as in the real system):

- ``zd`` 宗地 (parcel): zddm parcel code, xzqdm division code, tdyt land use, zdmj area m².
- ``bdcdy`` 不动产单元 (property unit): bdcqzh certificate number, zddm, xzqdm, zl address
  (坐落), ytdm usage code, jzmj floor area m², djsj registration time
  ``YYYY-MM-DD HH:MM:SS``, dyzt mortgaged 0/1, cfzt seized 0/1.
- ``qlr`` 权利人 (owner): bdcqzh, sxh order, qlrlb kind (1 person, 2 enterprise), zjzl
  document kind, zjh document number, qlbl share.
- ``cf`` 查封 (seizure): bdcqzh, cfwh court decision number, cfsj time recorded.

Every function opens its own short-lived connection, so the seeder may atomically replace
the file under a running service. The functions are synchronous; the HTTP layer runs them
in a worker thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .protocol import ID_CARD, OWNER_KIND_CODES, USAGE_NAMES, USCC, LegacyCode, LegacyFault

__all__ = [
    "DDL",
    "connect",
    "list_units",
    "owner_document_kind",
    "record_seizure",
    "units_by_certificates",
    "units_by_owners",
]

DDL = """
CREATE TABLE zd (
    zddm TEXT PRIMARY KEY, xzqdm TEXT NOT NULL, tdyt TEXT NOT NULL, zdmj REAL NOT NULL
);
CREATE TABLE bdcdy (
    bdcqzh TEXT PRIMARY KEY, zddm TEXT NOT NULL REFERENCES zd (zddm), xzqdm TEXT NOT NULL,
    zl TEXT NOT NULL, ytdm TEXT NOT NULL, jzmj REAL NOT NULL, djsj TEXT NOT NULL,
    dyzt INTEGER NOT NULL DEFAULT 0, cfzt INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bdcdy_xzqdm_ytdm ON bdcdy (xzqdm, ytdm, bdcqzh);
CREATE TABLE qlr (
    bdcqzh TEXT NOT NULL REFERENCES bdcdy (bdcqzh), sxh INTEGER NOT NULL, qlrlb TEXT NOT NULL,
    zjzl TEXT NOT NULL, zjh TEXT NOT NULL, qlbl TEXT NOT NULL, PRIMARY KEY (bdcqzh, sxh)
);
CREATE INDEX qlr_zjh ON qlr (zjh);
CREATE TABLE cf (
    id INTEGER PRIMARY KEY AUTOINCREMENT, bdcqzh TEXT NOT NULL REFERENCES bdcdy (bdcqzh),
    cfwh TEXT NOT NULL, cfsj TEXT NOT NULL
);
"""

# SQLite's default limit on host parameters is 999 on old builds; stay well below it.
_CHUNK = 500


def connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise LegacyFault(LegacyCode.SYSTEM_ERROR, f"登记库不存在: {path.name}")
    conn = sqlite3.connect(path, timeout=5.0)
    conn.row_factory = sqlite3.Row
    return conn


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _rows(conn: sqlite3.Connection, certificates: Sequence[str]) -> list[dict[str, Any]]:
    """The full JSON rows of the given units, in the order of ``certificates``."""
    units: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(certificates):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT u.*, z.tdyt, z.zdmj FROM bdcdy u JOIN zd z ON z.zddm = u.zddm"
            f" WHERE u.bdcqzh IN ({marks})",
            chunk,
        ):
            units[row["bdcqzh"]] = {
                "bdcqzh": row["bdcqzh"],
                "zl": row["zl"],
                "xzqdm": row["xzqdm"],
                "ytdm": row["ytdm"],
                "ytmc": USAGE_NAMES.get(row["ytdm"], ""),
                "jzmj": row["jzmj"],
                "djsj": row["djsj"],
                "zddm": row["zddm"],
                "zdxx": {"zddm": row["zddm"], "tdyt": row["tdyt"], "zdmj": row["zdmj"]},
                "dyzt": str(row["dyzt"]),
                "cfzt": str(row["cfzt"]),
                "qlrxx": [],
                "cfxx": [],
            }
        for row in conn.execute(
            f"SELECT * FROM qlr WHERE bdcqzh IN ({marks}) ORDER BY bdcqzh, sxh", chunk
        ):
            units[row["bdcqzh"]]["qlrxx"].append(
                {"qlrlb": row["qlrlb"], "zjzl": row["zjzl"], "zjh": row["zjh"], "qlbl": row["qlbl"]}
            )
        for row in conn.execute(f"SELECT * FROM cf WHERE bdcqzh IN ({marks}) ORDER BY id", chunk):
            units[row["bdcqzh"]]["cfxx"].append({"cfwh": row["cfwh"], "cfsj": row["cfsj"]})
    seen: set[str] = set()
    ordered = []
    for certificate in certificates:
        if certificate in units and certificate not in seen:
            seen.add(certificate)
            ordered.append(units[certificate])
    return ordered


def units_by_certificates(path: Path, certificates: Sequence[str]) -> list[dict[str, Any]]:
    """Units whose certificate is listed; unknown certificates are simply absent."""
    with connect(path) as conn:
        return _rows(conn, certificates)


def units_by_owners(path: Path, owner_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Units with at least one listed owner (identity number or credit code)."""
    with connect(path) as conn:
        certificates: list[str] = []
        for chunk in _chunks(owner_ids):
            marks = ",".join("?" * len(chunk))
            certificates.extend(
                row[0]
                for row in conn.execute(
                    f"SELECT DISTINCT bdcqzh FROM qlr WHERE zjh IN ({marks}) ORDER BY bdcqzh",
                    chunk,
                )
            )
        return _rows(conn, sorted(set(certificates)))


def list_units(
    path: Path, *, county: str | None, usage: str | None, page: int, size: int
) -> dict[str, Any]:
    """One page of units ordered by certificate number, with the total count."""
    where, params = [], []
    if county is not None:
        where.append("xzqdm = ?")
        params.append(county)
    if usage is not None:
        where.append("ytdm = ?")
        params.append(usage)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    with connect(path) as conn:
        total = conn.execute(f"SELECT COUNT(*) FROM bdcdy{clause}", params).fetchone()[0]
        certificates = [
            row[0]
            for row in conn.execute(
                f"SELECT bdcqzh FROM bdcdy{clause} ORDER BY bdcqzh LIMIT ? OFFSET ?",
                [*params, size, (page - 1) * size],
            )
        ]
        return {"total": total, "page": page, "size": size, "list": _rows(conn, certificates)}


def record_seizure(path: Path, certificate: str, decision: str) -> dict[str, Any]:
    """Record a court seizure (查封) on a unit and return the unit as it now stands.

    A unit may carry several seizures (轮候查封, queued seizures); each is kept.
    """
    with connect(path) as conn:
        found = conn.execute("SELECT 1 FROM bdcdy WHERE bdcqzh = ?", (certificate,)).fetchone()
        if found is None:
            raise LegacyFault(LegacyCode.NOT_FOUND, f"不动产权证号不存在: {certificate}")
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        conn.execute(
            "INSERT INTO cf (bdcqzh, cfwh, cfsj) VALUES (?, ?, ?)", (certificate, decision, now)
        )
        conn.execute("UPDATE bdcdy SET cfzt = 1 WHERE bdcqzh = ?", (certificate,))
        conn.commit()
        return _rows(conn, [certificate])[0]


def owner_document_kind(owner_kind: str) -> str:
    """The 证件种类 that goes with an owner kind (person: ID card, enterprise: USCC)."""
    return ID_CARD if OWNER_KIND_CODES[owner_kind] == "1" else USCC
