"""The market-supervision database (SQLite or PostgreSQL) and the subgraph's queries on it.

Tables follow the national enterprise credit information schema: ``e_baseinfo`` (one
row per registered market entity, SAMR type and state codes) and ``case_pub_baseinfo``
(published administrative penalty decisions). Only this module knows them.
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
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from subgraphs.common.records import EnterpriseRecord, PenaltyRecord

__all__ = [
    "ALLOWED_TRANSITIONS",
    "MarketRegulationStore",
    "enterprise_row",
    "enterprise_table",
    "metadata",
    "penalty_row",
    "penalty_table",
]

metadata = MetaData()

enterprise_table = Table(
    "e_baseinfo",  # 市场主体基本信息
    metadata,
    Column("uniscid", CHAR(18), primary_key=True),  # 统一社会信用代码
    Column("entname", String(200), nullable=False),  # 企业名称
    Column("enttype", CHAR(4), nullable=False),  # 市场主体类型代码
    Column("lerep_cerno", CHAR(18), nullable=False),  # 法定代表人证件号码
    Column("regcap", Numeric(18, 4), nullable=False),  # 注册资本 (万元)
    Column("estdate", Date, nullable=False),  # 成立日期
    Column("opscope", Text, nullable=False),  # 经营范围
    Column("dom", String(300), nullable=False),  # 住所
    Column("regorg_xzqh", CHAR(6), nullable=False),  # 登记机关行政区划
    Column("regstate", CHAR(1), nullable=False),  # 登记状态: 1 存续, 2 吊销, 3 注销, 4 停业
    Index("ix_e_baseinfo_lerep", "lerep_cerno"),
    Index("ix_e_baseinfo_xzqh", "regorg_xzqh", "uniscid"),
)

penalty_table = Table(
    "case_pub_baseinfo",  # 行政处罚信息
    metadata,
    Column("pendecno", String(100), primary_key=True),  # 处罚决定书文号
    Column("uniscid", CHAR(18), nullable=False),
    Column("pendecissdate", Date, nullable=False),  # 处罚决定日期
    Column("illegacttype", String(500), nullable=False),  # 违法行为类型
    Column("penam", Numeric(18, 2), nullable=False),  # 罚没款金额 (元)
    Column("penauth", String(100), nullable=False),  # 处罚机关
    Index("ix_case_pub_uniscid", "uniscid"),
)

_TYPE = {
    "LIMITED_COMPANY": "1100",
    "JOINT_STOCK_COMPANY": "1200",
    "PARTNERSHIP": "4530",
    "SOLE_PROPRIETORSHIP": "4540",
    "FARMERS_COOPERATIVE": "9100",
    "INDIVIDUAL_BUSINESS": "9600",
}
_STATE = {"ACTIVE": "1", "REVOKED": "2", "CANCELLED": "3", "SUSPENDED": "4"}
_TYPE_BACK = {v: k for k, v in _TYPE.items()}
_STATE_BACK = {v: k for k, v in _STATE.items()}

# target status -> statuses it may be reached from; CANCELLED is final.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "ACTIVE": ("SUSPENDED",),
    "SUSPENDED": ("ACTIVE",),
    "REVOKED": ("ACTIVE", "SUSPENDED"),
    "CANCELLED": ("ACTIVE", "SUSPENDED", "REVOKED"),
}


def enterprise_row(e: EnterpriseRecord) -> dict[str, Any]:
    return {
        "uniscid": e.credit_code,
        "entname": e.name,
        "enttype": _TYPE[e.organisation_type],
        "lerep_cerno": e.legal_representative_id_number,
        "regcap": e.registered_capital,
        "estdate": date.fromisoformat(e.established_on),
        "opscope": e.business_scope,
        "dom": e.address,
        "regorg_xzqh": e.county_code,
        "regstate": _STATE[e.licence_status],
    }


def penalty_row(p: PenaltyRecord) -> dict[str, Any]:
    return {
        "pendecno": p.decision_number,
        "uniscid": p.credit_code,
        "pendecissdate": date.fromisoformat(p.decided_on),
        "illegacttype": p.reason,
        "penam": p.fine_amount,
        "penauth": p.authority,
    }


def _enterprise(r: Row[Any]) -> EnterpriseRecord:
    m = r._mapping
    capital: Decimal = m["regcap"]
    return EnterpriseRecord(
        credit_code=m["uniscid"],
        name=m["entname"],
        organisation_type=_TYPE_BACK[m["enttype"]],
        legal_representative_id_number=m["lerep_cerno"],
        registered_capital=float(capital),
        established_on=m["estdate"].isoformat(),
        business_scope=m["opscope"],
        county_code=m["regorg_xzqh"],
        address=m["dom"],
        licence_status=_STATE_BACK[m["regstate"]],
    )


def _penalty(r: Row[Any]) -> PenaltyRecord:
    m = r._mapping
    return PenaltyRecord(
        decision_number=m["pendecno"],
        credit_code=m["uniscid"],
        decided_on=m["pendecissdate"].isoformat(),
        reason=m["illegacttype"],
        fine_amount=float(m["penam"]),
        authority=m["penauth"],
    )


class MarketRegulationStore:
    """Batched reads (one query per batch), the penalty insert and licence transitions."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(select(enterprise_table.c.uniscid).limit(1))

    async def enterprises_by_code(self, codes: Sequence[str]) -> list[EnterpriseRecord | None]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(enterprise_table).where(enterprise_table.c.uniscid.in_(set(codes)))
            )
            found = {r.uniscid: _enterprise(r) for r in rows}
        return [found.get(c) for c in codes]

    async def enterprises_by_representative(
        self, ids: Sequence[str]
    ) -> list[list[EnterpriseRecord]]:
        t = enterprise_table
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(t).where(t.c.lerep_cerno.in_(set(ids))).order_by(t.c.uniscid)
            )
            grouped: dict[str, list[EnterpriseRecord]] = {}
            for r in rows:
                grouped.setdefault(r.lerep_cerno, []).append(_enterprise(r))
        return [grouped.get(i, []) for i in ids]

    async def penalties_by_enterprise(self, codes: Sequence[str]) -> list[list[PenaltyRecord]]:
        t = penalty_table
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(t)
                .where(t.c.uniscid.in_(set(codes)))
                .order_by(t.c.pendecissdate, t.c.pendecno)
            )
            grouped: dict[str, list[PenaltyRecord]] = {}
            for r in rows:
                grouped.setdefault(r.uniscid, []).append(_penalty(r))
        return [grouped.get(c, []) for c in codes]

    async def enterprise_page(
        self,
        county: str | None,
        status: str | None,
        name_contains: str | None,
        after: str | None,
        limit: int,
    ) -> tuple[list[EnterpriseRecord], int]:
        t = enterprise_table
        where = []
        if county:
            where.append(t.c.regorg_xzqh == county)
        if status:
            where.append(t.c.regstate == _STATE[status])
        if name_contains:
            where.append(t.c.entname.contains(name_contains, autoescape=True))
        query = select(t).where(*where)
        if after is not None:
            query = query.where(t.c.uniscid > after)
        async with self.engine.connect() as conn:
            rows = await conn.execute(query.order_by(t.c.uniscid).limit(limit))
            page = [_enterprise(r) for r in rows]
            total = await conn.scalar(select(func.count()).select_from(t).where(*where))
        return page, int(total or 0)

    async def insert_penalty(self, penalty: PenaltyRecord) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(insert(penalty_table).values(**penalty_row(penalty)))

    async def change_status(self, credit_code: str, status: str) -> bool:
        """Move to ``status`` if allowed from the current one; False otherwise.

        The allowed source states are part of the UPDATE, so concurrent changes cannot
        slip past the transition rules.
        """
        t = enterprise_table
        sources = [_STATE[s] for s in ALLOWED_TRANSITIONS[status]]
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(t)
                .where(t.c.uniscid == credit_code, t.c.regstate.in_(sources))
                .values(regstate=_STATE[status])
            )
        return bool(result.rowcount == 1)
