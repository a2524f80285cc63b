"""Plain metadata read from the join directives: who defines, keys and resolves what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphql import SelectionSetNode

__all__ = [
    "EntityKey",
    "FieldJoin",
    "FieldMeta",
    "SubgraphInfo",
    "TypeJoin",
    "TypeKind",
    "TypeMeta",
]

TypeKind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass(frozen=True, slots=True)
class SubgraphInfo:
    """One subgraph: ``name`` is the join__Graph's ``name`` argument, used in plans."""

    name: str
    url: str
    enum_value: str


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One ``@key`` of a type in one subgraph; ``selection`` is the parsed field set."""

    graph: str
    fields: str
    selection: SelectionSetNode
    resolvable: bool


@dataclass(slots=True)
class TypeJoin:
    """How one subgraph declares a type (``@join__type``)."""

    graph: str
    keys: list[EntityKey] = field(default_factory=list)
    extension: bool = False
    interface_object: bool = False


@dataclass(frozen=True, slots=True)
class FieldJoin:
    """One ``@join__field`` of a field in one subgraph."""

    graph: str | None
    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False


@dataclass(slots=True)
class FieldMeta:
    """A field (or input field) of a type and its joins; no joins means every graph."""

    parent: str
    name: str
    joins: list[FieldJoin] = field(default_factory=list)
    inaccessible: bool = False

    def join_for(self, graph: str) -> FieldJoin | None:
        for join in self.joins:
            if join.graph == graph:
                return join
        return None


@dataclass(slots=True)
class TypeMeta:
    """A named type with the graphs that define it and its per-graph membership facts."""

    name: str
    kind: TypeKind
    graphs: dict[str, TypeJoin] = field(default_factory=dict)
    fields: dict[str, FieldMeta] = field(default_factory=dict)
    # object/interface -> graph -> interfaces it implements there
    implements: dict[str, set[str]] = field(default_factory=dict)
    # union -> graph -> member type names there
    union_members: dict[str, set[str]] = field(default_factory=dict)
    # enum -> value -> graphs that define it (absent value key: every graph of the enum)
    enum_values: dict[str, set[str]] = field(default_factory=dict)
    inaccessible: bool = False

    def keys_in(self, graph: str) -> list[EntityKey]:
        join = self.graphs.get(graph)
        return [] if join is None else join.keys

    def is_interface_object_in(self, graph: str) -> bool:
        join = self.graphs.get(graph)
        return join is not None and join.interface_object
