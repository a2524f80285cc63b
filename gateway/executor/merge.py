"""Deep merge of a subgraph's data into the response tree, in place."""

from __future__ import annotations

from typing import Any

__all__ = ["deep_merge"]


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge ``source`` into ``target``: objects key by key, lists item by item.

    A key only ``source`` has is linked, not copied: the response tree is built once and
    read once by the projection, so sharing a sub-tree between two objects that resolved
    to the same entity is safe and saves a copy per entity.
    """
    for key, value in source.items():
        existing = target.get(key)
        if existing is None:
            target[key] = value
        elif type(value) is dict:
            if type(existing) is dict:
                deep_merge(existing, value)
            else:
                target[key] = value
        elif type(value) is list and type(existing) is list and len(existing) == len(value):
            _merge_lists(existing, value)
        elif value is not None:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, value in enumerate(source):
        existing = target[index]
        if type(value) is dict and type(existing) is dict:
            deep_merge(existing, value)
        elif type(value) is list and type(existing) is list and len(existing) == len(value):
            _merge_lists(existing, value)
        elif existing is None or value is not None:
            target[index] = value
