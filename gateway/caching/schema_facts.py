"""What the schema says about cached data: the types an operation touches, entity keys.

Both are read from the schema, never learned from a response: an entry is tagged with
every composite type its operation can return, so bumping a type's generation reaches
every entry that may hold data of that type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)

from gateway.supergraph import Supergraph

__all__ = ["EntityKeys", "touched_types"]


def touched_types(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None
) -> frozenset[str]:
    """Composite types (and abstract types' possible types) the operation can return.

    Fields the schema does not know (a subgraph's ``_entities``) are walked with no parent
    type: their fragments' type conditions still name what comes back.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    out: set[str] = set()
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        root = schema.get_root_type(definition.operation)
        _walk(schema, definition.selection_set, root, fragments, out, set())
    return frozenset(out)


def _note(schema: GraphQLSchema, type_: GraphQLNamedType | None, out: set[str]) -> None:
    if isinstance(type_, GraphQLObjectType):
        out.add(type_.name)
    elif isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
        out.add(type_.name)
        out.update(t.name for t in schema.get_possible_types(type_))


def _walk(
    schema: GraphQLSchema,
    selection_set: SelectionSetNode,
    parent: GraphQLNamedType | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    out: set[str],
    seen: set[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                continue
            field_type: GraphQLNamedType | None = None
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                definition = parent.fields.get(selection.name.value)
                if definition is not None:
                    field_type = get_named_type(definition.type)
            _note(schema, field_type, out)
            _walk(schema, selection.selection_set, field_type, fragments, out, seen)
        elif isinstance(selection, InlineFragmentNode):
            inner = parent
            if selection.type_condition is not None:
                inner = schema.get_type(selection.type_condition.name.value)
                _note(schema, inner, out)
            _walk(schema, selection.selection_set, inner, fragments, out, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                continue
            seen.add(name)
            inner = schema.get_type(fragment.type_condition.name.value)
            _note(schema, inner, out)
            _walk(schema, fragment.selection_set, inner, fragments, out, seen)


class EntityKeys:
    """The ``@key`` field sets of every entity type, from the supergraph's join metadata."""

    def __init__(self, keys: Mapping[str, list[SelectionSetNode]]) -> None:
        self._keys = dict(keys)

    @classmethod
    def of(cls, supergraph: Supergraph) -> EntityKeys:
        keys: dict[str, list[SelectionSetNode]] = {}
        for name, meta in supergraph.types.items():
            seen: set[str] = set()
            for join in meta.graphs.values():
                for key in join.keys:
                    if key.fields not in seen:
                        seen.add(key.fields)
                        keys.setdefault(name, []).append(key.selection)
        return cls(keys)

    def is_entity(self, type_name: str) -> bool:
        return type_name in self._keys

    def key_fields(self, type_name: str, obj: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every key of ``type_name`` that ``obj`` holds whole (usually one)."""
        out = []
        for selection in self._keys.get(type_name, ()):
            fields = _select(selection, obj)
            if fields is not None:
                out.append(fields)
        return out

    def representation_keys(self, representation: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The keys in an ``_entities`` representation; all its fields if the type is unknown."""
        type_name = representation.get("__typename")
        if not isinstance(type_name, str):
            return []
        if type_name not in self._keys:
            return [{k: v for k, v in representation.items() if k != "__typename"}]
        return self.key_fields(type_name, representation)


def _select(selection: SelectionSetNode, obj: Mapping[str, Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for node in selection.selections:
        if not isinstance(node, FieldNode):
            return None
        value = obj.get(node.name.value)
        if value is None:
            return None
        if node.selection_set is not None:
            if not isinstance(value, dict):
                return None
            value = _select(node.selection_set, value)
            if value is None:
                return None
        out[node.name.value] = value
    return out
