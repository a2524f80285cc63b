"""Seed the household register from the dataset (replaces existing data)."""

from __future__ import annotations

from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import bulk_insert, create_engine, recreate_schema
from subgraphs.population.store import (
    household_row,
    household_table,
    metadata,
    person_row,
    person_table,
)

__all__ = ["seed"]


async def seed(dataset: Dataset, target: str) -> int:
    """Write persons and households into the database at ``target``; returns rows written."""
    engine = create_engine(target)
    try:
        await recreate_schema(engine, metadata)
        count = 0
        async with engine.begin() as conn:
            for chunk in dataset.by_chunk():
                people = chunk.people
                count += await bulk_insert(
                    conn, household_table, map(household_row, people.households)
                )
                count += await bulk_insert(conn, person_table, map(person_row, people.persons))
        return count
    finally:
        await engine.dispose()
