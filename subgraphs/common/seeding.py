"""Seeding the five department stores from one dataset: in turn, or one process each.

Every department package has ``seed.py`` with ``async def seed(dataset, target) -> int``;
this module finds each store's target in the settings, runs the seeders, measures them
and turns any failure into a :class:`SeedError` that names the department, not a password.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from subgraphs.common.datagen import Dataset, DatasetConfig
from subgraphs.common.settings import SubgraphSettings
from subgraphs.common.sql import disk_size

__all__ = [
    "DEPARTMENTS",
    "MARKER",
    "SeedError",
    "SeedResult",
    "generate",
    "generate_parallel",
    "redact",
    "seed_department",
    "write_marker",
]

DEPARTMENTS = ("population", "civil_affairs", "market_regulation", "social_security", "real_estate")
MARKER = "dataset.json"  # written into the data dir after a complete generation

SeedFn = Callable[[Dataset, str], Awaitable[int]]
Report = Callable[["SeedResult"], None]


@dataclass(frozen=True, slots=True)
class SeedResult:
    department: str
    target: str  # password redacted
    records: int | None  # None: skipped
    seconds: float
    bytes_on_disk: int | None
    note: str = ""


class SeedError(RuntimeError):
    """A department's store could not be seeded (unreachable server, missing database...)."""

    def __init__(self, department: str, message: str) -> None:
        super().__init__(message)
        self.department = department

    @classmethod
    def wrap(cls, department: str, target: str, cause: BaseException) -> SeedError:
        return cls(department, f"seeding {department} into {redact(target)} failed: {cause}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Crosses the process boundary when departments are seeded in parallel.
        return (SeedError, (self.department, str(self)))


def redact(target: str) -> str:
    """The target with any password replaced, for terminals and CI logs."""
    scheme, sep, rest = target.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else target
    return target


def target_of(settings: SubgraphSettings, department: str) -> str:
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


async def seed_department(dataset: Dataset, department: str, target: str) -> SeedResult:
    """Seed one department (replacing its data); a missing seeder module is skipped."""
    seed = _seed_function(department)
    if seed is None:
        return SeedResult(department, redact(target), None, 0.0, None, "no seeder module; skipped")
    started = time.perf_counter()
    try:
        count = await seed(dataset, target)
    except Exception as exc:
        raise SeedError.wrap(department, target, exc) from exc
    elapsed = time.perf_counter() - started
    return SeedResult(department, redact(target), count, elapsed, _size(target))


async def generate(
    dataset: Dataset,
    settings: SubgraphSettings,
    departments: Sequence[str] = DEPARTMENTS,
    *,
    report: Report = lambda _: None,
) -> list[SeedResult]:
    """Seed the departments one after the other."""
    results = []
    for department in departments:
        result = await seed_department(dataset, department, target_of(settings, department))
        results.append(result)
        report(result)
    return results


def _seed_worker(config: DatasetConfig, department: str, target: str) -> SeedResult:
    return asyncio.run(seed_department(Dataset(config), department, target))


def generate_parallel(
    config: DatasetConfig,
    settings: SubgraphSettings,
    departments: Sequence[str] = DEPARTMENTS,
    *,
    jobs: int,
    report: Report = lambda _: None,
) -> list[SeedResult]:
    """Seed up to ``jobs`` departments at once, one process each (results in input order).

    Each process regenerates the dataset from the config: the generator is deterministic,
    so every department sees the same records without any being shipped between processes.
    """
    context = multiprocessing.get_context("spawn")  # no inherited locks, loops or pools
    by_department: dict[str, SeedResult] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(_seed_worker, config, d, target_of(settings, d)) for d in departments
        ]
        for future in as_completed(futures):
            result = future.result()
            by_department[result.department] = result
            report(result)
    return [by_department[d] for d in departments]


def write_marker(
    settings: SubgraphSettings, config: DatasetConfig, results: list[SeedResult]
) -> None:
    """Record a complete generation, so ``ensure_data`` knows the stores are seeded."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    summary = {
        "seed": config.seed,
        "persons": config.persons,
        "departments": {r.department: r.records for r in results},
    }
    (settings.data_dir / MARKER).write_text(json.dumps(summary, indent=2))
