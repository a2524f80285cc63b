"""Which entities a mutation returned, so that their cached copies can be invalidated.

The mutation's data (before post-processing masks anything) is walked along the client
operation with the API schema, so the type at every position is known even where the
client did not ask for ``__typename``. An object of an entity type invalidates that entity
when its key fields are in the data; when they are not (not selected, or not released
to this caller) the whole type is invalidated instead: wider, but never stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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

from gateway.caching.schema_facts import EntityKeys

__all__ = ["ReturnedEntities", "returned_entities"]


@dataclass(slots=True)
class ReturnedEntities:
    entities: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    types: set[str] = field(default_factory=set)  # entity types whose keys were not in the data

    def add(self, type_name: str, keys: list[dict[str, Any]]) -> None:
        if not keys:
            self.types.add(type_name)
        for fields in keys:
            if (type_name, fields) not in self.entities:
                self.entities.append((type_name, fields))


def returned_entities(
    schema: GraphQLSchema,
    entity_keys: EntityKeys,
    document: DocumentNode,
    operation_name: str | None,
    data: Mapping[str, Any] | None,
) -> ReturnedEntities:
    """The entities in ``data`` (by type and key), and the types to drop wholesale."""
    out = ReturnedEntities()
    if not data:
        return out
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if operation_name and (definition.name is None or definition.name.value != operation_name):
            continue
        root = schema.get_root_type(definition.operation)
        if root is not None:
            _Walker(schema, entity_keys, fragments, out).object(
                definition.selection_set, root, data
            )
    return out


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        entity_keys: EntityKeys,
        fragments: Mapping[str, FragmentDefinitionNode],
        out: ReturnedEntities,
    ) -> None:
        self.schema = schema
        self.entity_keys = entity_keys
        self.fragments = fragments
        self.out = out

    def value(self, selection_set: SelectionSetNode, type_: GraphQLNamedType, value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                self.value(selection_set, type_, item)
        elif isinstance(value, dict):
            concrete = self._concrete(type_, value)
            for object_type in concrete:
                if self.entity_keys.is_entity(object_type.name):
                    self.out.add(object_type.name, self._keys(object_type, selection_set, value))
            self.object(selection_set, concrete[0] if len(concrete) == 1 else type_, value)

    def _concrete(
        self, type_: GraphQLNamedType, value: Mapping[str, Any]
    ) -> list[GraphQLNamedType]:
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
            name = value.get("__typename")
            found = self.schema.get_type(name) if isinstance(name, str) else None
            if found is not None:
                return [found]
            return list(self.schema.get_possible_types(type_))  # unknown: every candidate
        return [type_]

    def _keys(
        self, type_: GraphQLNamedType, selection_set: SelectionSetNode, value: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        if len(self._concrete(type_, value)) != 1:
            return []
        # Key fields may sit under an alias: read them under their field names too.
        by_name = dict(value)
        for node in self._fields(selection_set, type_):
            alias = node.alias.value if node.alias else node.name.value
            if alias in value and node.name.value not in by_name:
                by_name[node.name.value] = value[alias]
        return self.entity_keys.key_fields(type_.name, by_name)

    def _fields(self, selection_set: SelectionSetNode, type_: GraphQLNamedType) -> list[FieldNode]:
        out: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                out.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    out.extend(self._fields(selection.selection_set, type_))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None and self._applies(
                    fragment.type_condition.name.value, type_
                ):
                    out.extend(self._fields(fragment.selection_set, type_))
        return out

    def _applies(self, condition: str, type_: GraphQLNamedType) -> bool:
        if condition == type_.name:
            return True
        target = self.schema.get_type(condition)
        if isinstance(target, GraphQLInterfaceType | GraphQLUnionType) and isinstance(
            type_, GraphQLObjectType
        ):
            return self.schema.is_sub_type(target, type_)
        return not isinstance(type_, GraphQLObjectType)  # abstract position: walk it all

    def object(
        self, selection_set: SelectionSetNode, type_: GraphQLNamedType, value: Mapping[str, Any]
    ) -> None:
        if not isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            return
        for node in self._fields(selection_set, type_):
            if node.selection_set is None:
                continue
            alias = node.alias.value if node.alias else node.name.value
            child = value.get(alias)
            if child is None:
                continue
            field_type: GraphQLNamedType | None = None
            if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
                definition = type_.fields.get(node.name.value)
                if definition is not None:
                    field_type = get_named_type(definition.type)
            if field_type is not None:
                self.value(node.selection_set, field_type, child)
