"""What each subgraph can resolve, read once from the supergraph for the planner."""

from __future__ import annotations

import re
from functools import cache

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
)
from graphql.language import FieldNode

from gateway.supergraph import EntityKey, FieldJoin, Supergraph

__all__ = ["Catalog", "label_enabled"]

_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")


def label_enabled(label: str, enabled: frozenset[str]) -> bool:
    """Whether a progressive ``@override`` label is on.

    A plan is cached and shared, so it cannot flip a coin per request: ``percent(N)``
    counts as enabled only at ``N >= 100`` (the rollout is complete); any label can be
    switched on by the caller through ``enabled``.
    """
    if label in enabled:
        return True
    match = _PERCENT.match(label)
    return match is not None and float(match[1]) >= 100


class Catalog:
    """Per-(type, field, subgraph) facts derived from the join metadata."""

    def __init__(self, supergraph: Supergraph, enabled_labels: frozenset[str] = frozenset()):
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.types = supergraph.types
        self.all_graphs = frozenset(supergraph.subgraphs)
        self.enabled_labels = enabled_labels
        self.field_graphs = cache(self._field_graphs)
        self.possible_types = cache(self._possible_types)
        self.type_graphs = cache(self._type_graphs)

    # -- types -----------------------------------------------------------------------

    def _type_graphs(self, type_name: str) -> frozenset[str]:
        meta = self.types.get(type_name)
        if meta is None or not meta.graphs:
            return self.all_graphs
        return frozenset(meta.graphs)

    def is_abstract(self, type_name: str) -> bool:
        return is_abstract_type(self.schema.get_type(type_name))

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        meta = self.types.get(type_name)
        return meta is not None and meta.is_interface_object_in(graph)

    def interface_object_graphs(self, interface: str) -> list[str]:
        meta = self.types.get(interface)
        if meta is None:
            return []
        return [g for g, j in meta.graphs.items() if j.interface_object]

    def _possible_types(self, type_name: str, graph: str | None) -> tuple[str, ...]:
        """Object types a field of this type can return (in ``graph``, if given)."""
        gtype = self.schema.get_type(type_name)
        if isinstance(gtype, GraphQLObjectType):
            return (type_name,)
        if not isinstance(gtype, GraphQLInterfaceType | GraphQLUnionType):
            return ()
        every = [t.name for t in self.schema.get_possible_types(gtype)]
        if graph is None:
            return tuple(every)
        meta = self.types.get(type_name)
        if isinstance(gtype, GraphQLUnionType):
            if meta is None or not meta.union_members:
                return tuple(t for t in every if graph in self.type_graphs(t))
            return tuple(t for t in every if t in meta.union_members.get(graph, ()))
        if self.is_interface_object(type_name, graph):
            return ()
        out = []
        for name in every:
            tmeta = self.types.get(name)
            if tmeta is None or graph not in self.type_graphs(name):
                continue
            if not tmeta.implements or type_name in tmeta.implements.get(graph, ()):
                out.append(name)
        return tuple(out)

    def has_type(self, graph: str, type_name: str) -> bool:
        return graph in self.type_graphs(type_name)

    # -- fields ----------------------------------------------------------------------

    def field_def(self, type_name: str, field_name: str) -> GraphQLField | None:
        gtype = self.schema.get_type(type_name)
        if isinstance(gtype, GraphQLObjectType | GraphQLInterfaceType):
            found: GraphQLField | None = gtype.fields.get(field_name)
            return found
        return None

    def field_type_name(self, type_name: str, field_name: str) -> str | None:
        definition = self.field_def(type_name, field_name)
        return None if definition is None else get_named_type(definition.type).name

    def is_composite(self, type_name: str) -> bool:
        return is_composite_type(self.schema.get_type(type_name))

    def join(self, type_name: str, field_name: str, graph: str) -> FieldJoin | None:
        meta = self.types.get(type_name)
        fmeta = None if meta is None else meta.fields.get(field_name)
        return None if fmeta is None else fmeta.join_for(graph)

    def _field_graphs(self, type_name: str, field_name: str) -> frozenset[str]:
        """Subgraphs that resolve the field themselves (not external, not overridden)."""
        meta = self.types.get(type_name)
        fmeta = None if meta is None else meta.fields.get(field_name)
        if fmeta is None or not fmeta.joins:
            return self.type_graphs(type_name)
        graphs = set()
        for join in fmeta.joins:
            if join.graph is None or join.used_overridden:
                continue
            if join.override_label is not None:
                on = label_enabled(join.override_label, self.enabled_labels)
                if on != (join.override is not None):
                    continue
            if join.external:
                continue
            graphs.add(join.graph)
        if not graphs and all(j.graph is None for j in fmeta.joins):
            return frozenset()
        return frozenset(graphs)

    def external_key(self, type_name: str, field_name: str, graph: str) -> bool:
        """An @external field of a key: known to the subgraph only from representations."""
        join = self.join(type_name, field_name, graph)
        return join is not None and join.external and self._in_key(type_name, field_name, graph)

    def _in_key(self, type_name: str, field_name: str, graph: str) -> bool:
        meta = self.types.get(type_name)
        if meta is None:
            return False
        return any(
            isinstance(s, FieldNode) and s.name.value == field_name
            for key in meta.keys_in(graph)
            for s in key.selection.selections
        )

    def subgraph_type(self, type_name: str, field_name: str, graph: str) -> str | None:
        """The named return type ``graph`` declares, when it differs from the supergraph's."""
        join = self.join(type_name, field_name, graph)
        if join is None or join.type is None:
            return None
        named = join.type.strip("[]! ")
        return named if self.schema.get_type(named) is not None else None

    def requires(self, type_name: str, field_name: str, graph: str) -> SelectionSetNode | None:
        join = self.join(type_name, field_name, graph)
        return None if join is None else join.requires

    def provides(self, type_name: str, field_name: str, graph: str) -> SelectionSetNode | None:
        join = self.join(type_name, field_name, graph)
        return None if join is None else join.provides

    def resolvable_keys(self, type_name: str, graph: str) -> list[EntityKey]:
        meta = self.types.get(type_name)
        if meta is None:
            return []
        return [k for k in meta.keys_in(graph) if k.resolvable]

    def any_keys(self, type_name: str) -> list[EntityKey]:
        meta = self.types.get(type_name)
        if meta is None:
            return []
        return [k for g in meta.graphs for k in meta.keys_in(g)]
