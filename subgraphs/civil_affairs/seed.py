"""Seed the civil-affairs database from the dataset (replaces existing data)."""

from __future__ import annotations

from subgraphs.civil_affairs.store import (
    dibao_row,
    dibao_table,
    marriage_row,
    marriage_table,
    metadata,
    subsidy_row,
    subsidy_table,
)
from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import bulk_insert, create_engine, recreate_schema

__all__ = ["seed"]


async def seed(dataset: Dataset, target: str) -> int:
    """Write marriages, dibao cases and elderly subsidies into ``target``; returns rows."""
    engine = create_engine(target)
    try:
        await recreate_schema(engine, metadata)
        count = 0
        async with engine.begin() as conn:
            for chunk in dataset.by_chunk():
                civil = chunk.civil
                count += await bulk_insert(conn, marriage_table, map(marriage_row, civil.marriages))
                count += await bulk_insert(conn, dibao_table, map(dibao_row, civil.dibao_cases))
                count += await bulk_insert(
                    conn, subsidy_table, map(subsidy_row, civil.elderly_subsidies)
                )
        return count
    finally:
        await engine.dispose()
