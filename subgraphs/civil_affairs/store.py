"""The civil-affairs database (SQLite or MariaDB/MySQL) and the queries the subgraph runs.

Tables follow the bureau's business systems: ``mz_hydj`` marriage registrations (man and
woman columns, as on the certificate), ``mz_dbaj`` minimum-living-allowance cases with
numeric status codes, ``mz_gnbt`` elderly subsidies. Only this module knows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    Column,
    Date,
    Index,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from subgraphs.common.records import DibaoCaseRecord, ElderlySubsidyRecord, MarriageRecord

__all__ = [
    "OPEN_STATUSES",
    "CivilAffairsStore",
    "dibao_row",
    "dibao_table",
    "marriage_row",
    "marriage_table",
    "metadata",
    "subsidy_row",
    "subsidy_table",
]

metadata = MetaData()

marriage_table = Table(
    "mz_hydj",  # 婚姻登记
    metadata,
    Column("djzh", String(32), primary_key=True),  # 登记证字号
    Column("djlx", CHAR(1), nullable=False),  # 登记类型: 1 结婚, 2 离婚
    Column("nfsfzh", CHAR(18), nullable=False),  # 男方身份证号
    Column("nvfsfzh", CHAR(18), nullable=False),  # 女方身份证号
    Column("djrq", Date, nullable=False),  # 登记日期
    Column("djjg_xzqhdm", CHAR(6), nullable=False),  # 登记机关行政区划
    Index("ix_mz_hydj_nf", "nfsfzh"),
    Index("ix_mz_hydj_nvf", "nvfsfzh"),
)

dibao_table = Table(
    "mz_dbaj",  # 低保案件
    metadata,
    Column("ajbh", String(32), primary_key=True),  # 案件编号
    Column("sqrsfzh", CHAR(18), nullable=False),  # 申请人身份证号
    Column("hh", String(20), nullable=False),  # 户号
    Column("xzqhdm", CHAR(6), nullable=False),
    Column("sqrq", Date, nullable=False),  # 申请日期
    Column("zt", CHAR(1), nullable=False),  # 状态: 0 待审, 1 批准, 2 不予批准, 3 终止
    Column("yjbzje", Numeric(10, 2)),  # 月保障金额
    Column("sprq", Date),  # 审批日期
    Column("spyj", Text),  # 审批意见
    Index("ix_mz_dbaj_sqr", "sqrsfzh"),
    Index("ix_mz_dbaj_hh", "hh"),
    Index("ix_mz_dbaj_xzqh", "xzqhdm", "zt", "ajbh"),
)

subsidy_table = Table(
    "mz_gnbt",  # 高龄老人补贴
    metadata,
    Column("btbh", String(32), primary_key=True),
    Column("sfzh", CHAR(18), nullable=False),
    Column("btlx", CHAR(2), nullable=False),  # 01 高龄津贴, 02 护理补贴, 03 服务补贴
    Column("yffje", Numeric(10, 2), nullable=False),  # 月发放金额
    Column("qsrq", Date, nullable=False),  # 起始日期
    Column("xzqhdm", CHAR(6), nullable=False),
    Index("ix_mz_gnbt_sfzh", "sfzh"),
)

_KIND = {"MARRIAGE": "1", "DIVORCE": "2"}
_STATUS = {"PENDING": "0", "APPROVED": "1", "REJECTED": "2", "TERMINATED": "3"}
_SUBSIDY = {"AGE_ALLOWANCE": "01", "CARE_SUBSIDY": "02", "SERVICE_SUBSIDY": "03"}
_KIND_BACK = {v: k for k, v in _KIND.items()}
_STATUS_BACK = {v: k for k, v in _STATUS.items()}
_SUBSIDY_BACK = {v: k for k, v in _SUBSIDY.items()}
OPEN_STATUSES = ("PENDING", "APPROVED")


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _money(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def marriage_row(m: MarriageRecord) -> dict[str, Any]:
    return {
        "djzh": m.registration_number,
        "djlx": _KIND[m.kind],
        "nfsfzh": m.party_a_id_number,
        "nvfsfzh": m.party_b_id_number,
        "djrq": _date(m.registered_on),
        "djjg_xzqhdm": m.office_county_code,
    }


def dibao_row(c: DibaoCaseRecord) -> dict[str, Any]:
    return {
        "ajbh": c.case_number,
        "sqrsfzh": c.applicant_id_number,
        "hh": c.household_number,
        "xzqhdm": c.county_code,
        "sqrq": _date(c.applied_on),
        "zt": _STATUS[c.status],
        "yjbzje": c.monthly_amount,
        "sprq": _date(c.decided_on),
        "spyj": c.decision_note,
    }


def subsidy_row(s: ElderlySubsidyRecord) -> dict[str, Any]:
    return {
        "btbh": s.subsidy_number,
        "sfzh": s.id_number,
        "btlx": _SUBSIDY[s.kind],
        "yffje": s.monthly_amount,
        "qsrq": _date(s.since),
        "xzqhdm": s.county_code,
    }


def _marriage(r: Row[Any]) -> MarriageRecord:
    m = r._mapping
    return MarriageRecord(
        registration_number=m["djzh"],
        kind=_KIND_BACK[m["djlx"]],
        party_a_id_number=m["nfsfzh"],
        party_b_id_number=m["nvfsfzh"],
        registered_on=m["djrq"].isoformat(),
        office_county_code=m["djjg_xzqhdm"],
    )


def _dibao(r: Row[Any]) -> DibaoCaseRecord:
    m = r._mapping
    return DibaoCaseRecord(
        case_number=m["ajbh"],
        applicant_id_number=m["sqrsfzh"],
        household_number=m["hh"],
        county_code=m["xzqhdm"],
        applied_on=m["sqrq"].isoformat(),
        status=_STATUS_BACK[m["zt"]],
        monthly_amount=_money(m["yjbzje"]),
        decided_on=None if m["sprq"] is None else m["sprq"].isoformat(),
        decision_note=m["spyj"],
    )


def _subsidy(r: Row[Any]) -> ElderlySubsidyRecord:
    m = r._mapping
    return ElderlySubsidyRecord(
        subsidy_number=m["btbh"],
        id_number=m["sfzh"],
        kind=_SUBSIDY_BACK[m["btlx"]],
        monthly_amount=float(m["yffje"]),
        since=m["qsrq"].isoformat(),
        county_code=m["xzqhdm"],
    )


class CivilAffairsStore:
    """Batched reads (one query per batch) and the dibao case writes."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(select(dibao_table.c.ajbh).limit(1))

    async def marriages_by_person(self, ids: Sequence[str]) -> list[list[MarriageRecord]]:
        """Each person's registrations (as either party), oldest first."""
        t = marriage_table
        wanted = set(ids)
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(t)
                .where(or_(t.c.nfsfzh.in_(wanted), t.c.nvfsfzh.in_(wanted)))
                .order_by(t.c.djrq, t.c.djzh)
            )
            grouped: dict[str, list[MarriageRecord]] = {}
            for r in rows:
                record = _marriage(r)
                for party in {record.party_a_id_number, record.party_b_id_number} & wanted:
                    grouped.setdefault(party, []).append(record)
        return [grouped.get(i, []) for i in ids]

    async def marriages_by_number(self, numbers: Sequence[str]) -> list[MarriageRecord | None]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(marriage_table).where(marriage_table.c.djzh.in_(set(numbers)))
            )
            found = {r.djzh: _marriage(r) for r in rows}
        return [found.get(n) for n in numbers]

    async def dibao_by_number(self, numbers: Sequence[str]) -> list[DibaoCaseRecord | None]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(dibao_table).where(dibao_table.c.ajbh.in_(set(numbers)))
            )
            found = {r.ajbh: _dibao(r) for r in rows}
        return [found.get(n) for n in numbers]

    async def _dibao_grouped(self, column: str, keys: Sequence[str]) -> list[list[DibaoCaseRecord]]:
        t = dibao_table
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(t).where(t.c[column].in_(set(keys))).order_by(t.c.sqrq, t.c.ajbh)
            )
            grouped: dict[str, list[DibaoCaseRecord]] = {}
            for r in rows:
                grouped.setdefault(r._mapping[column], []).append(_dibao(r))
        return [grouped.get(k, []) for k in keys]

    async def dibao_by_applicant(self, ids: Sequence[str]) -> list[list[DibaoCaseRecord]]:
        return await self._dibao_grouped("sqrsfzh", ids)

    async def dibao_by_household(self, numbers: Sequence[str]) -> list[list[DibaoCaseRecord]]:
        return await self._dibao_grouped("hh", numbers)

    async def subsidies_by_person(self, ids: Sequence[str]) -> list[list[ElderlySubsidyRecord]]:
        t = subsidy_table
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(t).where(t.c.sfzh.in_(set(ids))).order_by(t.c.btbh))
            grouped: dict[str, list[ElderlySubsidyRecord]] = {}
            for r in rows:
                grouped.setdefault(r.sfzh, []).append(_subsidy(r))
        return [grouped.get(i, []) for i in ids]

    async def dibao_page(
        self, county: str | None, status: str | None, after: str | None, limit: int
    ) -> tuple[list[DibaoCaseRecord], int]:
        t = dibao_table
        where = []
        if county:
            where.append(t.c.xzqhdm == county)
        if status:
            where.append(t.c.zt == _STATUS[status])
        query = select(t).where(*where)
        if after is not None:
            query = query.where(t.c.ajbh > after)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(t.c.ajbh).limit(limit))
            page = [_dibao(r) for r in rows]
            total = await conn.scalar(select(func.count()).select_from(t).where(*where))
        return page, int(total or 0)

    async def open_case(self, household_number: str) -> DibaoCaseRecord | None:
        t = dibao_table
        open_codes = [_STATUS[s] for s in OPEN_STATUSES]
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(t).where(t.c.hh == household_number, t.c.zt.in_(open_codes)).limit(1)
                )
            ).first()
        return None if row is None else _dibao(row)

    async def insert_dibao(self, case: DibaoCaseRecord) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(insert(dibao_table).values(**dibao_row(case)))

    async def decide_dibao(
        self,
        case_number: str,
        status: str,
        amount: float | None,
        note: str,
        on: date,
        *,
        county: str | None = None,
    ) -> bool:
        """Decide a PENDING case (of ``county``, when given); False if it is not one.

        The status and county tests are in the UPDATE itself, so two officers deciding the
        same case at once cannot both succeed, and the check cannot go stale before the write.
        """
        t = dibao_table
        conditions = [t.c.ajbh == case_number, t.c.zt == _STATUS["PENDING"]]
        if county is not None:
            conditions.append(t.c.xzqhdm == county)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(t)
                .where(*conditions)
                .values(zt=_STATUS[status], yjbzje=amount, sprq=on, spyj=note)
            )
        return bool(result.rowcount == 1)
