"""Seed the legacy registry's SQLite store from the synthetic dataset's parcels and properties.

The database is built beside the target under a temporary name and renamed over
``registry.db`` only when complete, so a running registry never sees a half-written file.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from subgraphs.common.records import ParcelRecord, PropertyRecord

from .legacy_service.protocol import OWNER_KIND_CODES, USAGE_CODES
from .legacy_service.store import DDL, owner_document_kind

__all__ = ["REGISTRY_FILE", "RegistrySource", "seed", "write_registry"]

REGISTRY_FILE = "registry.db"


class RegistrySource(Protocol):
    """What the seeder needs of ``subgraphs.common.datagen.Dataset``."""

    def parcels(self) -> Iterable[ParcelRecord]: ...

    def properties(self) -> Iterable[PropertyRecord]: ...


def _fill(conn: sqlite3.Connection, source: RegistrySource) -> int:
    written = 0
    for parcel in source.parcels():
        conn.execute(
            "INSERT INTO zd (zddm, xzqdm, tdyt, zdmj) VALUES (?, ?, ?, ?)",
            (parcel.parcel_number, parcel.county_code, parcel.land_use, parcel.area),
        )
        written += 1
    for unit in source.properties():
        conn.execute(
            "INSERT INTO bdcdy (bdcqzh, zddm, xzqdm, zl, ytdm, jzmj, djsj, dyzt, cfzt)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                unit.certificate_number,
                unit.parcel_number,
                unit.county_code,
                unit.address,
                USAGE_CODES[unit.usage],
                unit.area,
                f"{unit.registered_on} 00:00:00",  # the registry stores timestamps
                int(unit.mortgaged),
                int(unit.seized),
            ),
        )
        for order, owner in enumerate(unit.owners, start=1):
            conn.execute(
                "INSERT INTO qlr (bdcqzh, sxh, qlrlb, zjzl, zjh, qlbl) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    unit.certificate_number,
                    order,
                    OWNER_KIND_CODES[owner.owner_kind],
                    owner_document_kind(owner.owner_kind),
                    owner.owner_id,
                    owner.share,
                ),
            )
        if unit.seized:
            # Seized in the source data: the registry keeps the decision that seized it.
            conn.execute(
                "INSERT INTO cf (bdcqzh, cfwh, cfsj) VALUES (?, ?, ?)",
                (unit.certificate_number, "历史查封(迁移数据)", f"{unit.registered_on} 00:00:00"),
            )
        written += 1
    return written


def write_registry(source: RegistrySource, directory: Path) -> int:
    """Replace ``directory/registry.db`` with the source's data; returns records written."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / REGISTRY_FILE
    temporary = directory / f".{REGISTRY_FILE}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    conn = sqlite3.connect(temporary)
    try:
        conn.executescript(DDL)
        with conn:
            written = _fill(conn, source)
    except BaseException:
        conn.close()
        temporary.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(temporary, final)
    return written


async def seed(dataset: RegistrySource, target: str) -> int:
    """Replace the registry store in directory ``target``; returns parcels + properties."""
    return await asyncio.to_thread(write_registry, dataset, Path(target))
