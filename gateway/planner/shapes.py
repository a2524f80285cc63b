"""Alias fields whose types clash across sibling fragments of one subgraph request.

Two fragments on different object types may select the same response key with types
that differ in the subgraph (``ID!`` on one, ``ID`` on the other). GraphQL refuses such
a document, so the later ones read under an alias and an output rewrite renames the
alias back before the data is merged.
"""

from __future__ import annotations

from gateway.planner.nodes import KeyRenamer
from gateway.planner.selections import SelField, SelFragment, SelSet

__all__ = ["alias_clashing_fields"]

_Entry = tuple[SelField, tuple[str, ...]]


def alias_clashing_fields(selset: SelSet, prefix: tuple[str, ...] = ()) -> tuple[KeyRenamer, ...]:
    """Alias clashing fields in place; return the renames that undo it (deepest first)."""
    renames: list[KeyRenamer] = []
    _fix([(selset, prefix)], renames)
    renames.sort(key=lambda r: -len(r.path))
    return tuple(renames)


def _collect(selset: SelSet, path: tuple[str, ...], out: list[_Entry]) -> None:
    for item in selset.items.values():
        if isinstance(item, SelField):
            out.append((item, path))
        elif isinstance(item, SelFragment):
            step = () if item.type_condition is None else (f"... on {item.type_condition}",)
            _collect(item.selset, path + step, out)


def _fix(selsets: list[tuple[SelSet, tuple[str, ...]]], renames: list[KeyRenamer]) -> None:
    entries: list[_Entry] = []
    for selset, path in selsets:
        _collect(selset, path, entries)
    by_key: dict[str, list[_Entry]] = {}
    for entry in entries:
        by_key.setdefault(entry[0].response_key, []).append(entry)
    for key, group in list(by_key.items()):
        first = group[0][0].type_key
        variants: dict[str | None, str] = {}
        for selected, path in group:
            if selected.type_key == first:
                continue
            alias = variants.setdefault(selected.type_key, f"{key}__alias_{len(variants)}")
            selected.alias = alias
            renames.append(KeyRenamer((*path, alias), key))
    regrouped: dict[str, list[_Entry]] = {}
    for selected, path in entries:
        regrouped.setdefault(selected.response_key, []).append((selected, path))
    for key, group in regrouped.items():
        below = [(f.selset, (*p, key)) for f, p in group if f.selset is not None]
        if len(below) > 1 or any(_has_fragments(s) for s, _ in below):
            _fix(below, renames)


def _has_fragments(selset: SelSet) -> bool:
    return any(isinstance(i, SelFragment) for i in selset.items.values()) or any(
        isinstance(i, SelField) and i.selset is not None and _has_fragments(i.selset)
        for i in selset.items.values()
    )
