"""Plain GraphQL validity of one subgraph (interfaces implemented, union members are
objects, input and output types in their places ...), checked by graphql-core on the
SDL with the federation directives taken out."""

from __future__ import annotations

from typing import Any

from graphql import (
    REMOVE,
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    Visitor,
    build_ast_schema,
    validate_schema,
    visit,
)

__all__ = ["graphql_errors"]

_AS_DEFINITION: dict[type, type] = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
    UnionTypeExtensionNode: UnionTypeDefinitionNode,
    EnumTypeExtensionNode: EnumTypeDefinitionNode,
    InputObjectTypeExtensionNode: InputObjectTypeDefinitionNode,
    ScalarTypeExtensionNode: ScalarTypeDefinitionNode,
}
# Messages about things federation supplies itself (every subgraph has a Query).
_IGNORED = ("Query root type must be provided.",)


class _StripDirectives(Visitor):
    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        return None if node.name.value in ("deprecated", "specifiedBy") else REMOVE


def graphql_errors(document: DocumentNode) -> list[str]:
    """graphql-core's schema validation messages for the subgraph's own types."""
    stripped = visit(document, _StripDirectives())
    defined = {d.name.value for d in stripped.definitions if isinstance(d, TypeDefinitionNode)}
    definitions: list[Any] = []
    for d in stripped.definitions:
        if isinstance(d, DirectiveDefinitionNode):
            continue
        if isinstance(d, SchemaExtensionNode):
            if d.operation_types:
                definitions.append(SchemaDefinitionNode(operation_types=d.operation_types))
            continue
        as_definition = _AS_DEFINITION.get(type(d))
        if as_definition is not None and d.name.value not in defined:
            # An extension with no base (common in Federation 1) stands for the type.
            defined.add(d.name.value)
            d = as_definition(**{k: getattr(d, k) for k in d.keys if k != "loc"})
        definitions.append(d)
    try:
        schema = build_ast_schema(DocumentNode(definitions=definitions), assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        return [str(exc).rstrip(".") + "."]
    return [e.message for e in validate_schema(schema) if e.message not in _IGNORED]
