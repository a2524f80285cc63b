"""The household-register database and the queries the population subgraph runs on it.

Tables mimic a public-security household register (pinyin-abbreviated columns, GB/T
code values): ``hj_ryxx`` (persons) and ``hj_hxx`` (households). This module maps them
to the dataset records; nothing outside it knows a column name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CHAR,
    Column,
    Index,
    MetaData,
    String,
    Table,
    func,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from subgraphs.common.records import HouseholdRecord, PersonRecord

__all__ = [
    "PopulationStore",
    "household_row",
    "household_table",
    "metadata",
    "person_row",
    "person_table",
]

metadata = MetaData()

person_table = Table(
    "hj_ryxx",  # 户籍人员信息
    metadata,
    Column("gmsfhm", CHAR(18), primary_key=True),  # 公民身份号码
    Column("xm", String(50), nullable=False),  # 姓名
    Column("xbdm", CHAR(1), nullable=False),  # 性别代码 GB/T 2261.1: 1 男, 2 女
    Column("csrq", CHAR(8), nullable=False),  # 出生日期 YYYYMMDD
    Column("mz", String(20), nullable=False),  # 民族
    Column("lxdh", String(20)),  # 联系电话
    Column("hjdz_xzqhdm", CHAR(6), nullable=False),  # 户籍地址行政区划代码
    Column("hjdz_dzmc", String(200), nullable=False),  # 户籍地址名称
    Column("hh", String(20), nullable=False),  # 户号
    Column("yhzgxdm", CHAR(2), nullable=False),  # 与户主关系代码 GB/T 4761
    Column("ryzt", CHAR(1), nullable=False, server_default="0"),  # 人员状态: 0 正常, 1 死亡
    Index("ix_hj_ryxx_hh", "hh"),
    Index("ix_hj_ryxx_xzqh", "hjdz_xzqhdm", "gmsfhm"),
)

household_table = Table(
    "hj_hxx",  # 户信息
    metadata,
    Column("hh", String(20), primary_key=True),
    Column("hlb", CHAR(1), nullable=False),  # 户类别: 1 家庭户, 2 集体户
    Column("xzqhdm", CHAR(6), nullable=False),
    Column("zz", String(200), nullable=False),  # 住址
    Column("hzgmsfhm", CHAR(18), nullable=False),  # 户主公民身份号码
    Index("ix_hj_hxx_xzqh", "xzqhdm", "hh"),
)

_GENDER = {"MALE": "1", "FEMALE": "2"}
_RELATION = {"HEAD": "02", "SPOUSE": "10", "CHILD": "20", "PARENT": "50", "OTHER": "99"}
_KIND = {"FAMILY": "1", "COLLECTIVE": "2"}
_GENDER_BACK = {v: k for k, v in _GENDER.items()}
_RELATION_BACK = {v: k for k, v in _RELATION.items()}
_KIND_BACK = {v: k for k, v in _KIND.items()}


def person_row(p: PersonRecord) -> dict[str, Any]:
    return {
        "gmsfhm": p.id_number,
        "xm": p.name,
        "xbdm": _GENDER[p.gender],
        "csrq": p.birth_date.replace("-", ""),
        "mz": p.ethnicity,
        "lxdh": p.phone or None,
        "hjdz_xzqhdm": p.county_code,
        "hjdz_dzmc": p.registered_address,
        "hh": p.household_number,
        "yhzgxdm": _RELATION[p.relation_to_head],
        "ryzt": "0" if p.alive else "1",
    }


def household_row(h: HouseholdRecord) -> dict[str, Any]:
    return {
        "hh": h.household_number,
        "hlb": _KIND[h.kind],
        "xzqhdm": h.county_code,
        "zz": h.address,
        "hzgmsfhm": h.head_id_number,
    }


def _person(row: Row[Any]) -> PersonRecord:
    m = row._mapping
    born = m["csrq"]
    return PersonRecord(
        id_number=m["gmsfhm"],
        name=m["xm"],
        gender=_GENDER_BACK.get(m["xbdm"], "MALE"),
        birth_date=f"{born[:4]}-{born[4:6]}-{born[6:8]}",
        ethnicity=m["mz"],
        phone=m["lxdh"] or "",
        county_code=m["hjdz_xzqhdm"],
        registered_address=m["hjdz_dzmc"],
        household_number=m["hh"],
        relation_to_head=_RELATION_BACK.get(m["yhzgxdm"], "OTHER"),
        alive=m["ryzt"] != "1",
    )


def _household(row: Row[Any]) -> HouseholdRecord:
    m = row._mapping
    return HouseholdRecord(
        household_number=m["hh"],
        county_code=m["xzqhdm"],
        address=m["zz"],
        head_id_number=m["hzgmsfhm"],
        kind=_KIND_BACK.get(m["hlb"], "FAMILY"),
    )


class PopulationStore:
    """Batched reads and the one write (phone) over the household register."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(select(person_table.c.gmsfhm).limit(1))

    async def persons_by_id(self, ids: Sequence[str]) -> list[PersonRecord | None]:
        """One query for the whole batch; results in ``ids`` order, ``None`` if unknown."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(person_table).where(person_table.c.gmsfhm.in_(set(ids)))
            )
            found = {r.gmsfhm: _person(r) for r in rows}
        return [found.get(i) for i in ids]

    async def households_by_number(self, numbers: Sequence[str]) -> list[HouseholdRecord | None]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(household_table).where(household_table.c.hh.in_(set(numbers)))
            )
            found = {r.hh: _household(r) for r in rows}
        return [found.get(n) for n in numbers]

    async def members_by_household(self, numbers: Sequence[str]) -> list[list[PersonRecord]]:
        """Members per household, head first, then by relation and identity number."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(person_table)
                .where(person_table.c.hh.in_(set(numbers)))
                .order_by(person_table.c.hh, person_table.c.yhzgxdm, person_table.c.gmsfhm)
            )
            grouped: dict[str, list[PersonRecord]] = {}
            for r in rows:
                grouped.setdefault(r.hh, []).append(_person(r))
        return [grouped.get(n, []) for n in numbers]

    async def person_page(
        self, county: str | None, after: str | None, limit: int
    ) -> tuple[list[PersonRecord], int]:
        t = person_table
        where = [t.c.hjdz_xzqhdm == county] if county else []
        query = select(t).where(*where)
        if after is not None:
            query = query.where(t.c.gmsfhm > after)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(t.c.gmsfhm).limit(limit))
            page = [_person(r) for r in rows]
            total = await conn.scalar(select(func.count()).select_from(t).where(*where))
        return page, int(total or 0)

    async def household_page(
        self, county: str | None, after: str | None, limit: int
    ) -> tuple[list[HouseholdRecord], int]:
        t = household_table
        where = [t.c.xzqhdm == county] if county else []
        query = select(t).where(*where)
        if after is not None:
            query = query.where(t.c.hh > after)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(t.c.hh).limit(limit))
            page = [_household(r) for r in rows]
            total = await conn.scalar(select(func.count()).select_from(t).where(*where))
        return page, int(total or 0)

    async def update_phone(self, id_number: str, phone: str) -> PersonRecord | None:
        """Set the contact phone; returns the re-read person, ``None`` if not registered."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(person_table).where(person_table.c.gmsfhm == id_number).values(lxdh=phone)
            )
            row = (
                await conn.execute(select(person_table).where(person_table.c.gmsfhm == id_number))
            ).first()
        return None if row is None else _person(row)
