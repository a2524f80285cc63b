"""Policy diff: per field, who gains and who loses access between two policy sets."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.policy.explain import access_routes
from gateway.policy.policyset import PolicySet

__all__ = ["FieldChange", "diff_policies"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    coordinate: str
    old_class: str
    new_class: str
    gains: tuple[tuple[str, str], ...]  # (who, how) that can newly read it
    losses: tuple[tuple[str, str], ...]
    changes: tuple[tuple[str, str, str], ...]  # (who, how before, how after)

    def lines(self) -> list[str]:
        head = self.coordinate
        if self.old_class != self.new_class:
            head += f": {self.old_class} -> {self.new_class}"
        out = [head]
        out += [f"  + gains: {who} ({how})" for who, how in self.gains]
        out += [f"  - loses: {who} ({how})" for who, how in self.losses]
        out += [f"  ~ {who}: {before} -> {after}" for who, before, after in self.changes]
        return out


def _coordinates(policy: PolicySet, extra: set[str]) -> set[str]:
    return set(policy.fields) | extra


def diff_policies(
    old: PolicySet, new: PolicySet, coordinates: list[str] | None = None
) -> list[FieldChange]:
    """Changes for every field either set rules (plus ``coordinates``, e.g. the schema's)."""
    every = sorted(_coordinates(old, set(coordinates or ())) | set(new.fields))
    changes: list[FieldChange] = []
    for coordinate in every:
        type_name, _, field_name = coordinate.partition(".")
        before = old.field_rule(type_name, field_name)
        after = new.field_rule(type_name, field_name)
        a, b = access_routes(before), access_routes(after)
        gains = tuple((who, b[who]) for who in sorted(b.keys() - a.keys()))
        losses = tuple((who, a[who]) for who in sorted(a.keys() - b.keys()))
        changed = tuple(
            (who, a[who], b[who]) for who in sorted(a.keys() & b.keys()) if a[who] != b[who]
        )
        if gains or losses or changed or before.sharing != after.sharing:
            changes.append(
                FieldChange(coordinate, before.sharing, after.sharing, gains, losses, changed)
            )
    return changes
