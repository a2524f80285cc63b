"""Entity representations: compile a fetch's ``requires`` once, then select from objects fast.

Phases: ``RequiresSelector`` turns the plan's selections into nested tuples, resolving
type conditions per runtime ``__typename`` lazily (abstract conditions through the
supergraph's possible types) and caching the field list per type; ``select`` then copies
those fields out of one object. A representation is ``None`` (the object is skipped) when a
selected field is missing or null: a subgraph cannot resolve an entity without its key,
and the planner only requires fields the supergraph declares it can provide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.planner.nodes import (
    FetchRewrite,
    FieldSelection,
    KeyRenamer,
    Selection,
    ValueSetter,
)

__all__ = ["RequiresSelector", "apply_rewrites"]

_TYPE_STEP = "... on "

# (field name, nested selector or None for a leaf)
_Fields = tuple[tuple[str, "RequiresSelector | None"], ...]


class RequiresSelector:
    """Selects the fields of ``selections`` that apply to an object's runtime type."""

    __slots__ = ("_by_type", "_fields", "_fragments", "_possible")

    def __init__(
        self, selections: tuple[Selection, ...], possible_types: Mapping[str, frozenset[str]]
    ) -> None:
        self._possible = possible_types
        fields: list[tuple[str, RequiresSelector | None]] = []
        fragments: list[tuple[str | None, RequiresSelector]] = []
        for sel in selections:
            if isinstance(sel, FieldSelection):
                nested = (
                    RequiresSelector(sel.selections, possible_types) if sel.selections else None
                )
                fields.append((sel.name, nested))
            else:
                fragments.append(
                    (sel.type_condition, RequiresSelector(sel.selections, possible_types))
                )
        self._fields: _Fields = tuple(fields)
        self._fragments = tuple(fragments)
        self._by_type: dict[str | None, _Fields | None] = {}

    def fields_for(self, typename: str | None) -> _Fields | None:
        """The fields to select for ``typename``; None when no fragment applies to it."""
        try:
            return self._by_type[typename]
        except KeyError:
            pass
        fields = list(self._fields)
        matched = not self._fragments or bool(self._fields)
        for condition, nested in self._fragments:
            if (
                condition is None
                or condition == typename
                or (typename is not None and typename in self._possible.get(condition, ()))
            ):
                matched = True
                inner = nested.fields_for(typename)
                if inner:
                    fields.extend(f for f in inner if f not in fields)
        result = tuple(fields) if matched else None
        self._by_type[typename] = result
        return result

    def select(self, obj: dict[str, Any]) -> dict[str, Any] | None:
        """The representation of ``obj``, or None if it does not apply or lacks a field."""
        fields = self.fields_for(obj.get("__typename"))
        if fields is None:
            return None
        out: dict[str, Any] = {}
        for name, nested in fields:
            value = obj.get(name)
            if value is None:
                return None
            if nested is not None:
                value = nested._select_value(value)
                if value is None:
                    return None
            out[name] = value
        return out

    def _select_value(self, value: Any) -> Any:
        if type(value) is list:
            return [None if v is None else self._select_value(v) for v in value]
        if type(value) is dict:
            return self.select(value)
        return None


def apply_rewrites(
    obj: dict[str, Any],
    rewrites: tuple[FetchRewrite, ...],
    possible_types: Mapping[str, frozenset[str]],
) -> None:
    """Apply value setters and key renamers to one representation or entity, in place."""
    for rewrite in rewrites:
        if rewrite.path:
            _rewrite(obj, rewrite, 0, possible_types)


def _rewrite(
    value: Any, rewrite: FetchRewrite, index: int, possible: Mapping[str, frozenset[str]]
) -> None:
    if type(value) is list:
        for item in value:
            _rewrite(item, rewrite, index, possible)
        return
    if type(value) is not dict:
        return
    step = rewrite.path[index]
    if step.startswith(_TYPE_STEP):
        condition = step[len(_TYPE_STEP) :]
        typename = value.get("__typename")
        matches = typename == condition or typename in possible.get(condition, ())
        if matches and index + 1 < len(rewrite.path):
            _rewrite(value, rewrite, index + 1, possible)
        return
    if step == "@":
        _rewrite(value, rewrite, index + 1, possible)
        return
    if index + 1 < len(rewrite.path):
        child = value.get(step)
        if child is not None:
            _rewrite(child, rewrite, index + 1, possible)
        return
    if isinstance(rewrite, ValueSetter):
        value[step] = rewrite.set_value_to
    elif isinstance(rewrite, KeyRenamer) and step in value:
        value[rewrite.rename_key_to] = value.pop(step)
