"""Per-request DataLoaders: every batch of keys costs one registry call, never one per key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from subgraphs.common.context import SubgraphContext

from .mapping import PropertyData, to_property
from .registry_client import RegistryClient

__all__ = ["by_certificate", "by_owner", "registry"]


def registry(info: Info[Any, Any]) -> RegistryClient:
    context: SubgraphContext[RegistryClient] = info.context
    return context.store


def by_certificate(info: Info[Any, Any]) -> DataLoader[str, PropertyData | None]:
    """Property by certificate number; ``None`` for a certificate the registry lacks."""
    client = registry(info)

    async def load(certificates: list[str]) -> Sequence[PropertyData | None]:
        found = {
            p.certificate_number: p
            for p in map(to_property, await client.units_by_certificates(certificates))
        }
        return [found.get(c) for c in certificates]

    context: SubgraphContext[RegistryClient] = info.context
    return context.loader("real_estate.by_certificate", load)


def by_owner(info: Info[Any, Any]) -> DataLoader[str, list[PropertyData]]:
    """Properties by owner identifier (identity number or credit code)."""
    client = registry(info)

    async def load(owner_ids: list[str]) -> Sequence[list[PropertyData]]:
        owned: defaultdict[str, dict[str, PropertyData]] = defaultdict(dict)
        for unit in await client.units_by_owners(owner_ids):
            data = to_property(unit)
            for owner in data.owners:
                owned[owner.owner_id][data.certificate_number] = data
        return [
            [owned[owner][c] for c in sorted(owned[owner])] if owner in owned else []
            for owner in owner_ids
        ]

    context: SubgraphContext[RegistryClient] = info.context
    return context.loader("real_estate.by_owner", load)
