"""The released selection: what authorize() let through, as plain data for post-processing.

It mirrors the filtered operation (fragments inlined) and adds, per field, how the value
is released: row conditions the entity must meet, a masker and the conditions under which
the full value is shown, and whether the field is personal. Hidden fields (row values,
data subjects) are listed by alias so the walk can read them and then drop them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gateway.policy.conditions import Condition

__all__ = [
    "HIDDEN_PREFIX",
    "FieldEntry",
    "FragmentEntry",
    "Release",
    "SelectionPlan",
    "row_alias",
]

HIDDEN_PREFIX = "__gg_"
SUBJECT_ALIAS = "__gg_subject"


def row_alias(path: tuple[str, ...]) -> str:
    """The hidden alias that fetches a row-condition path, e.g. ``__gg_row__county__code``."""
    return HIDDEN_PREFIX + "row__" + "__".join(path)


@dataclass(frozen=True, slots=True)
class Release:
    coordinate: str
    personal: bool = False
    # The entity must meet one of these (None: no row restriction).
    row_any: tuple[Condition, ...] | None = None
    # Masked with ``mask`` unless one of ``unmask_any`` holds for the entity.
    mask: str | None = None
    unmask_any: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldEntry:
    response_key: str
    field_name: str
    release: Release | None  # None for __typename and introspection (passed as they are)
    child: SelectionPlan | None = None
    child_abstract: bool = False


@dataclass(frozen=True, slots=True)
class FragmentEntry:
    type_condition: str | None
    possible_types: frozenset[str] | None  # None: applies to whatever the parent is
    plan: SelectionPlan


@dataclass(frozen=True, slots=True)
class SelectionPlan:
    type_name: str
    entries: tuple[FieldEntry | FragmentEntry, ...]
    row_paths: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # (hidden alias, field path) of each data subject of the object, e.g. both parties
    subjects: tuple[tuple[str, str], ...] = ()
    # The row gate of ``type_name`` for this caller (set on a field's own selection, and on
    # the gate fragments of an abstract one): the object is released only if one of these
    # holds, whatever is selected; ``()`` releases no object, ``None`` means no gate here.
    row_gate: tuple[Condition, ...] | None = None
