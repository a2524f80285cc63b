"""Derive the client-facing API schema: no federation machinery, no @inaccessible parts.

Removed: the ``join__``/``link__`` types and directives and those of every linked
feature (``@tag``, ``@inaccessible``, ``@authenticated``...), their uses, and every
element marked ``@inaccessible`` (types, fields, arguments, enum values, input fields,
union members and interface implementations naming a removed type). Other directive
definitions (``@deprecated``, ``@specifiedBy``, composed custom directives) remain.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
)
from graphql.language import ListTypeNode, NonNullTypeNode

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.links import LinkedFeatures

__all__ = ["derive_api_schema"]

N = TypeVar("N")


def _replace(node: N, **changes: Any) -> N:
    clone = copy.copy(node)
    for key, value in changes.items():
        setattr(clone, key, value)
    return clone


def _named(type_node: TypeNode) -> str:
    while isinstance(type_node, ListTypeNode | NonNullTypeNode):
        type_node = type_node.type
    assert isinstance(type_node, NamedTypeNode)
    return type_node.name.value


def derive_api_schema(document: DocumentNode, links: LinkedFeatures) -> GraphQLSchema:
    """Build the API schema from the supergraph document (see module docstring)."""
    machinery = links.machinery_directives()
    prefixes = links.machinery_prefixes()
    inaccessible = links.directive("inaccessible", "inaccessible") or "inaccessible"

    def is_machinery(name: str) -> bool:
        return name in machinery or name.startswith(prefixes) or name.startswith("link__")

    def hidden(node: Any) -> bool:
        return any(d.name.value == inaccessible for d in node.directives or ())

    def keep_directives(node: Any) -> tuple[DirectiveNode, ...]:
        return tuple(d for d in node.directives or () if not is_machinery(d.name.value))

    removed = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode) and (is_machinery(d.name.value) or hidden(d))
    }

    def visible_type(type_node: TypeNode) -> bool:
        return _named(type_node) not in removed

    definitions: list[Any] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode):
            definitions.append(_replace(definition, directives=()))
        elif isinstance(definition, SchemaExtensionNode):
            continue  # only ever carries @link in a supergraph
        elif isinstance(definition, DirectiveDefinitionNode):
            if not is_machinery(definition.name.value):
                definitions.append(definition)
        elif isinstance(definition, TypeDefinitionNode):
            if definition.name.value in removed:
                continue
            definitions.append(
                _strip_type(definition, hidden, keep_directives, visible_type, removed)
            )
        else:
            definitions.append(definition)
    api_document = DocumentNode(definitions=tuple(definitions))
    try:
        return build_ast_schema(api_document, assume_valid_sdl=True)
    except Exception as exc:  # graphql-core raises TypeError/GraphQLError on broken SDL
        raise SupergraphError(f"cannot build the API schema: {exc}") from exc


def _strip_type(
    definition: TypeDefinitionNode,
    hidden: Any,
    keep_directives: Any,
    visible_type: Any,
    removed: set[str],
) -> TypeDefinitionNode:
    changes: dict[str, Any] = {"directives": keep_directives(definition)}
    if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        fields = []
        for f in definition.fields or ():
            if hidden(f) or not visible_type(f.type):
                continue
            args = tuple(
                _replace(a, directives=keep_directives(a))
                for a in f.arguments or ()
                if not hidden(a) and visible_type(a.type)
            )
            fields.append(_replace(f, directives=keep_directives(f), arguments=args))
        changes["fields"] = tuple(fields)
        changes["interfaces"] = tuple(
            i for i in definition.interfaces or () if i.name.value not in removed
        )
    elif isinstance(definition, InputObjectTypeDefinitionNode):
        changes["fields"] = tuple(
            _replace(f, directives=keep_directives(f))
            for f in definition.fields or ()
            if not hidden(f) and visible_type(f.type)
        )
    elif isinstance(definition, EnumTypeDefinitionNode):
        changes["values"] = tuple(
            _replace(v, directives=keep_directives(v))
            for v in definition.values or ()
            if not hidden(v)
        )
    elif isinstance(definition, UnionTypeDefinitionNode):
        changes["types"] = tuple(t for t in definition.types or () if t.name.value not in removed)
    return _replace(definition, **changes)
