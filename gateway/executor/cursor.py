"""Where a plan node runs: the objects found at a ``Flatten`` path, with their paths on demand.

Collecting objects is on the hot path, so it builds no paths; the response paths of the
objects are computed only when an error has to be located, by walking the same path
again (``Cursor.paths``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Cursor", "PathKey", "type_matches"]

PathKey = tuple[str | int, ...]
_TYPE_STEP = "... on "


def type_matches(
    obj: Mapping[str, Any], condition: str, possible_types: Mapping[str, frozenset[str]]
) -> bool:
    """True when ``obj``'s ``__typename`` is ``condition`` or one of its possible types."""
    typename = obj.get("__typename")
    if typename == condition:
        return True
    possible = possible_types.get(condition)
    return possible is not None and typename in possible


class Cursor:
    """The objects a node works on, and the cursor they were collected from."""

    __slots__ = ("_paths", "objects", "parent", "path", "possible_types")

    def __init__(
        self,
        objects: list[dict[str, Any]],
        *,
        parent: Cursor | None = None,
        path: tuple[str, ...] = (),
        possible_types: Mapping[str, frozenset[str]],
    ) -> None:
        self.objects = objects
        self.parent = parent
        self.path = path
        self.possible_types = possible_types
        self._paths: list[PathKey] | None = None if parent is not None else [()] * len(objects)

    @classmethod
    def root(cls, data: dict[str, Any], possible_types: Mapping[str, frozenset[str]]) -> Cursor:
        return cls([data], possible_types=possible_types)

    def descend(self, path: tuple[str, ...]) -> Cursor:
        """The non-null objects under ``path`` ("@" = each list item) from every object here."""
        values: list[Any] = self.objects
        for step in path:
            values = _step(values, step, self.possible_types)
            if not values:
                break
        objects = [v for v in _flat(values) if isinstance(v, dict)]
        return Cursor(objects, parent=self, path=path, possible_types=self.possible_types)

    def paths(self) -> list[PathKey]:
        """The response path of each object in ``objects`` (same order)."""
        if self._paths is None:
            assert self.parent is not None
            pairs: list[tuple[Any, PathKey]] = list(
                zip(self.parent.objects, self.parent.paths(), strict=True)
            )
            for step in self.path:
                pairs = _step_with_paths(pairs, step, self.possible_types)
            found = [(v, p) for v, p in _flat_with_paths(pairs) if isinstance(v, dict)]
            if len(found) == len(self.objects) and all(
                a is b for (a, _), b in zip(found, self.objects, strict=True)
            ):
                self._paths = [p for _, p in found]
            else:
                # A sibling fetch changed the tree between collection and now: match by identity.
                by_id = {id(v): p for v, p in found}
                self._paths = [by_id.get(id(obj), ()) for obj in self.objects]
        return self._paths


def _step(values: list[Any], step: str, possible: Mapping[str, frozenset[str]]) -> list[Any]:
    out: list[Any] = []
    if step == "@":
        for value in values:
            if type(value) is list:
                out.extend(v for v in value if v is not None)
        return out
    if step.startswith(_TYPE_STEP):
        condition = step[len(_TYPE_STEP) :]
        return [
            v for v in _flat(values) if type(v) is dict and type_matches(v, condition, possible)
        ]
    for value in values:
        if type(value) is dict:
            child = value.get(step)
            if child is not None:
                out.append(child)
        elif type(value) is list:
            # A list reached without "@": step into its items all the same.
            out.extend(_step(value, step, possible))
    return out


def _flat(values: list[Any]) -> list[Any]:
    if not any(type(v) is list for v in values):
        return values
    out: list[Any] = []
    for value in values:
        if type(value) is list:
            out.extend(_flat(value))
        elif value is not None:
            out.append(value)
    return out


def _step_with_paths(
    pairs: list[tuple[Any, PathKey]], step: str, possible: Mapping[str, frozenset[str]]
) -> list[tuple[Any, PathKey]]:
    out: list[tuple[Any, PathKey]] = []
    if step == "@":
        for value, path in pairs:
            if type(value) is list:
                out.extend((v, (*path, i)) for i, v in enumerate(value) if v is not None)
        return out
    if step.startswith(_TYPE_STEP):
        condition = step[len(_TYPE_STEP) :]
        return [
            (v, p)
            for v, p in _flat_with_paths(pairs)
            if type(v) is dict and type_matches(v, condition, possible)
        ]
    for value, path in pairs:
        if type(value) is dict:
            child = value.get(step)
            if child is not None:
                out.append((child, (*path, step)))
        elif type(value) is list:
            items = [(v, (*path, i)) for i, v in enumerate(value)]
            out.extend(_step_with_paths(items, step, possible))
    return out


def _flat_with_paths(pairs: list[tuple[Any, PathKey]]) -> list[tuple[Any, PathKey]]:
    out: list[tuple[Any, PathKey]] = []
    for value, path in pairs:
        if type(value) is list:
            out.extend(_flat_with_paths([(v, (*path, i)) for i, v in enumerate(value)]))
        elif value is not None:
            out.append((value, path))
    return out
