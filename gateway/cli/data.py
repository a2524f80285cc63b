"""``govgraph data``: generate the synthetic Tieling dataset into the five department stores."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from subgraphs.common.datagen import Dataset, DatasetConfig
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.sql import disk_size

__all__ = ["DEPARTMENTS", "SeedError", "SeedResult", "data", "ensure_data", "generate"]

DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
MARKER = "dataset.json"  # written into the data dir after a complete generation

SeedFn = Callable[[Dataset, str], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class SeedResult:
    department: str
    target: str
    records: int | None  # None: skipped
    seconds: float
    bytes_on_disk: int | None
    note: str = ""


class SeedError(RuntimeError):
    """A department's store could not be seeded (unreachable server, missing database...)."""

    def __init__(self, department: str, target: str, cause: BaseException) -> None:
        super().__init__(f"seeding {department} into {_redact(target)} failed: {cause}")
        self.department = department


def _redact(target: str) -> str:
    # Never print a database password on the terminal or in CI logs.
    scheme, sep, rest = target.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else target
    return target


def _target(settings: SubgraphSettings, department: str) -> str:
    return {
        "population": settings.population_db_url,
        "civil_affairs": settings.civil_affairs_db_url,
        "market_regulation": settings.market_regulation_db_url,
        "social_security": str(settings.social_security_dir),
        "real_estate": str(settings.data_dir / "real_estate"),
    }[department]


def _seed_function(department: str) -> SeedFn | None:
    module_name = f"subgraphs.{department}.seed"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name in (module_name, f"subgraphs.{department}"):
            return None
        raise
    fn: SeedFn = module.seed
    return fn


def _size(target: str) -> int | None:
    if "://" in target:
        return disk_size(target)
    path = Path(target)
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.is_file() else None


async def generate(
    dataset: Dataset,
    settings: SubgraphSettings,
    departments: Sequence[str] = DEPARTMENTS,
    *,
    report: Callable[[SeedResult], None] = lambda _: None,
) -> list[SeedResult]:
    """Seed each department's store in turn (each replaces its data); skip missing seeders."""
    results: list[SeedResult] = []
    for department in departments:
        target = _target(settings, department)
        seed = _seed_function(department)
        if seed is None:
            result = SeedResult(
                department, target, None, 0.0, None, "no seeder module yet; skipped"
            )
        else:
            started = time.perf_counter()
            try:
                count = await seed(dataset, target)
            except Exception as exc:
                raise SeedError(department, target, exc) from exc
            elapsed = time.perf_counter() - started
            result = SeedResult(department, _redact(target), count, elapsed, _size(target))
        results.append(result)
        report(result)
    return results


def _write_marker(
    settings: SubgraphSettings, config: DatasetConfig, results: list[SeedResult]
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    summary = {
        "seed": config.seed,
        "persons": config.persons,
        "departments": {r.department: r.records for r in results},
    }
    (settings.data_dir / MARKER).write_text(json.dumps(summary, indent=2))


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
    _write_marker(settings, config, results)
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
@click.option("--only", "only", multiple=True, type=click.Choice(DEPARTMENTS),
              help="Seed only this department (repeatable); default all five.")  # fmt: skip
def generate_command(
    persons: int,
    seed: int,
    data_dir: Path | None,
    population_url: str | None,
    civil_affairs_url: str | None,
    market_regulation_url: str | None,
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
    try:
        results = asyncio.run(
            generate(Dataset(config), settings, only or DEPARTMENTS, report=_print)
        )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(r.records or 0 for r in results)
    size = sum(r.bytes_on_disk or 0 for r in results)
    click.echo(
        f"Done: {total:,} records in {time.perf_counter() - started:.1f} s, {_human(size)} on disk"
    )
    if not only:
        _write_marker(settings, config, results)
