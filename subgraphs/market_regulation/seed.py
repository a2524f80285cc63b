"""Seed the market-supervision database from the dataset (replaces existing data)."""

from __future__ import annotations

from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import bulk_insert, create_engine, recreate_schema
from subgraphs.market_regulation.store import (
    enterprise_row,
    enterprise_table,
    metadata,
    penalty_row,
    penalty_table,
)

__all__ = ["seed"]


async def seed(dataset: Dataset, target: str) -> int:
    """Write enterprises and penalties into the database at ``target``; returns rows."""
    engine = create_engine(target)
    try:
        await recreate_schema(engine, metadata)
        count = 0
        async with engine.begin() as conn:
            for chunk in dataset.by_chunk():
                business = chunk.business
                count += await bulk_insert(
                    conn, enterprise_table, map(enterprise_row, business.enterprises)
                )
                count += await bulk_insert(
                    conn, penalty_table, map(penalty_row, business.penalties)
                )
        return count
    finally:
        await engine.dispose()
