"""Fetch groups (one future subgraph request each) and the context a walk carries."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import InlineFragmentNode, SelectionSetNode
from graphql.language import FieldNode

from gateway.planner.nodes import FetchRewrite
from gateway.planner.selections import SelSet

__all__ = [
    "Anchor",
    "Chain",
    "Condition",
    "Ctx",
    "Group",
    "OperationKind",
    "Provided",
    "provided_from",
]

OperationKind = Literal["query", "mutation"]

# (variable, value that lets the selection run): from @include(if: $v) / @skip(if: $v)
Condition = tuple[str, bool]

# type condition ("" = any) -> field name -> what is provided below that field
Provided = dict[str, dict[str, "Provided"]]


@dataclass(eq=False, slots=True)
class Group:
    """The selections one subgraph request will carry, and what it waits for."""

    id: int
    graph: str
    path: tuple[str, ...]
    is_entity: bool
    selset: SelSet = field(default_factory=SelSet)
    requires: SelSet = field(default_factory=SelSet)
    parents: set[int] = field(default_factory=set)
    conditions: tuple[Condition, ...] = ()
    input_rewrites: list[FetchRewrite] = field(default_factory=list)
    root_kind: OperationKind = "query"
    # (type, field names...) of required fields -> their arguments, for merge checks
    signatures: dict[tuple[str, ...], str] = field(default_factory=dict)


# (parent type, field) steps from the anchor down to the object being visited
Chain = tuple[tuple[str, FieldNode], ...]


@dataclass(frozen=True, slots=True)
class Anchor:
    """The nearest object above the walk that a fetch can start from again.

    ``ctx is None`` means the operation root (a query may be split over several root
    fetches); otherwise it is an entity in ``ctx.group`` at ``path``, selected in ``target``.
    """

    type_name: str
    path: tuple[str, ...]
    ctx: Ctx | None = None
    target: SelSet | None = None
    outer: Anchor | None = None
    outer_chain: Chain = ()
    # the typed path of the anchored object (see ``Ctx.typed``)
    typed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ctx:
    """Where the walk is: which group receives local fields, under which conditions."""

    group: Group
    provided: Provided | None = None
    conditions: tuple[Condition, ...] = ()
    depth: int = 0
    anchor: Anchor | None = None
    chain: Chain = ()
    # at the entity an _entities fetch starts from: its key fields come with it
    entity_root: bool = False
    # "Type.responseKey" steps to here: tells apart objects that share a response path
    typed: tuple[str, ...] = ()
    # at an entity fetch's root, the type of the objects it was given representations of
    objects: str | None = None

    def with_group(self, group: Group) -> Ctx:
        return Ctx(group, None, self.conditions, self.depth + 1, typed=self.typed)

    def extra(self, **changes: Any) -> Ctx:
        return dataclasses.replace(self, **changes)


def provided_from(selection_set: SelectionSetNode | None) -> Provided | None:
    """Turn a parsed ``@provides`` field set into a lookup tree."""
    if selection_set is None:
        return None
    out: Provided = {}
    _fill(selection_set, "", out)
    return out


def _fill(selection_set: SelectionSetNode, type_condition: str, out: Provided) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            below: Provided = {}
            if selection.selection_set is not None:
                _fill(selection.selection_set, "", below)
            out.setdefault(type_condition, {})[selection.name.value] = below
        elif isinstance(selection, InlineFragmentNode):
            cond = selection.type_condition.name.value if selection.type_condition else ""
            _fill(selection.selection_set, cond, out)
