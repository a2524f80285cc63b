"""Per-request DataLoaders: each batch of keys is answered from one index snapshot (one read)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from subgraphs.common.context import SubgraphContext

from .exports import ContributionRow, EmploymentRow, InsuredRow, PensionRow
from .index import ExportIndex
from .store import ExportStore

__all__ = [
    "contributions_of",
    "employments_at",
    "employments_of",
    "export_store",
    "insured",
    "pension_of",
]

V = TypeVar("V")


def export_store(info: Info[Any, Any]) -> ExportStore:
    context: SubgraphContext[ExportStore] = info.context
    return context.store


def _loader(
    info: Info[Any, Any], name: str, pick: Callable[[ExportIndex, str], V]
) -> DataLoader[str, V]:
    store = export_store(info)

    async def load(keys: list[str]) -> Sequence[V]:
        index = await store.snapshot()
        return [pick(index, key) for key in keys]

    context: SubgraphContext[ExportStore] = info.context
    return context.loader(f"social_security.{name}", load)


def insured(info: Info[Any, Any]) -> DataLoader[str, InsuredRow | None]:
    return _loader(info, "insured", lambda index, key: index.insured.get(key))


def contributions_of(info: Info[Any, Any]) -> DataLoader[str, tuple[ContributionRow, ...]]:
    return _loader(info, "contributions", lambda index, key: index.contributions_of(key))


def employments_of(info: Info[Any, Any]) -> DataLoader[str, tuple[EmploymentRow, ...]]:
    return _loader(
        info, "employments_of", lambda index, key: index.employments_of_person.get(key, ())
    )


def employments_at(info: Info[Any, Any]) -> DataLoader[str, tuple[EmploymentRow, ...]]:
    return _loader(
        info, "employments_at", lambda index, key: index.employments_at_employer.get(key, ())
    )


def pension_of(info: Info[Any, Any]) -> DataLoader[str, PensionRow | None]:
    return _loader(info, "pension", lambda index, key: index.pensions.get(key))
