"""``govgraph data``: generate the synthetic Tieling dataset into the five department stores."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import click

from subgraphs.common.datagen import Dataset, DatasetConfig
from subgraphs.common.seeding import (
    DEPARTMENTS,
    MARKER,
    SeedError,
    SeedResult,
    generate,
    generate_parallel,
    write_marker,
)
from subgraphs.common.settings import SubgraphSettings

__all__ = ["DEPARTMENTS", "SeedError", "SeedResult", "data", "ensure_data", "generate"]


def ensure_data(settings: SubgraphSettings | None = None, *, persons: int = 2000) -> bool:
    """Generate the default dataset unless a complete one is recorded; True if it generated.

    ``govgraph up`` calls this so a fresh checkout answers queries on first start.
    """
    settings = settings or SubgraphSettings.from_env()
    marker = settings.data_dir / MARKER
    if marker.is_file():
        return False
    config = DatasetConfig(persons=persons)
    results = asyncio.run(generate(Dataset(config), settings))
    write_marker(settings, config, results)
    return True


def _human(size: int | None) -> str:
    if size is None:
        return "-"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    return f"{size} B"


def _print(result: SeedResult) -> None:
    if result.records is None:
        click.echo(f"  {result.department:<18} skipped: {result.note}")
        return
    click.echo(
        f"  {result.department:<18} {result.records:>11,} records  {result.seconds:7.1f} s  "
        f"{_human(result.bytes_on_disk):>10}  -> {result.target}"
    )


@click.group()
def data() -> None:
    """Generate the synthetic Tieling dataset into the department stores."""


@data.command("generate")
@click.option("--persons", type=click.IntRange(1, 3_000_000), default=2000, show_default=True,
              help="Registered persons to generate; everything else scales with them.")  # fmt: skip
@click.option("--seed", type=int, default=DatasetConfig().seed, show_default=True,
              help="Random seed: the same seed always yields the same dataset.")  # fmt: skip
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for SQLite files and exports [env GOVGRAPH_DATA_DIR, ./data].")  # fmt: skip
@click.option("--population-url", default=None, help="Population store URL (sqlite, postgresql).")
@click.option("--civil-affairs-url", default=None, help="Civil affairs store URL (sqlite, mysql).")
@click.option("--market-regulation-url", default=None,
              help="Market regulation store URL (sqlite, postgresql).")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1, len(DEPARTMENTS)), default=1, show_default=True,
              help="Seed this many departments at once, one process each (CPU-bound).")  # fmt: skip
@click.option("--only", "only", multiple=True, type=click.Choice(DEPARTMENTS),
              help="Seed only this department (repeatable); default all five.")  # fmt: skip
def generate_command(
    persons: int,
    seed: int,
    data_dir: Path | None,
    population_url: str | None,
    civil_affairs_url: str | None,
    market_regulation_url: str | None,
    jobs: int,
    only: tuple[str, ...],
) -> None:
    """Generate a deterministic dataset and write it into every department's store.

    Existing data in those stores is replaced. Server databases must exist already.
    """
    merged = dict(os.environ)
    if data_dir is not None:
        merged["GOVGRAPH_DATA_DIR"] = str(data_dir)
    for key, value in (
        ("GOVGRAPH_POPULATION_DB_URL", population_url),
        ("GOVGRAPH_CIVIL_AFFAIRS_DB_URL", civil_affairs_url),
        ("GOVGRAPH_MARKET_REGULATION_DB_URL", market_regulation_url),
    ):
        if value:
            merged[key] = value
    if data_dir is not None:
        # An explicit data dir also moves the defaults derived from it.
        merged.pop("GOVGRAPH_SOCIAL_SECURITY_DIR", None)
    try:
        settings = SubgraphSettings.from_env(merged)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    config = DatasetConfig(seed=seed, persons=persons)
    click.echo(f"Generating Tieling dataset: {persons:,} persons, seed {seed}")
    started = time.perf_counter()
    departments = only or DEPARTMENTS
    try:
        if jobs > 1:
            results = generate_parallel(config, settings, departments, jobs=jobs, report=_print)
        else:
            results = asyncio.run(generate(Dataset(config), settings, departments, report=_print))
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(r.records or 0 for r in results)
    size = sum(r.bytes_on_disk or 0 for r in results)
    click.echo(
        f"Done: {total:,} records in {time.perf_counter() - started:.1f} s, {_human(size)} on disk"
    )
    if not only:
        write_marker(settings, config, results)
