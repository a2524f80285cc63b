"""Introspection is answered by the gateway from the API schema, never by a subgraph.

An operation may mix introspection (``__schema``/``__type``) with data fields; the two
halves are split so the data half goes through the planner and the introspection half
through graphql-core's executor (off the hot path: only for introspection queries).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    SelectionSetNode,
    execute_sync,
)

__all__ = [
    "INTROSPECTION_ROOT_FIELDS",
    "operation_named",
    "run_introspection",
    "without_introspection",
]

INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})


def _is_introspection(selection: object, keep_typename: bool) -> bool:
    if not isinstance(selection, FieldNode):
        return False
    name = selection.name.value
    # The root __typename is answered on both sides, so a purely introspective
    # operation keeps it and the planned half keeps it too.
    return name in INTROSPECTION_ROOT_FIELDS or (keep_typename and name == "__typename")


def _with_root_selections(
    document: DocumentNode, operation: OperationDefinitionNode, keep_introspection: bool
) -> DocumentNode:
    selections = tuple(
        sel
        for sel in operation.selection_set.selections
        if _is_introspection(sel, keep_introspection) == keep_introspection
    )
    new_operation = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=SelectionSetNode(selections=selections),
    )
    definitions = tuple(
        new_operation if definition is operation else definition
        for definition in document.definitions
    )
    return DocumentNode(definitions=definitions)


def without_introspection(
    document: DocumentNode, operation: OperationDefinitionNode | None = None
) -> DocumentNode:
    """``document`` without the introspection root fields of ``operation``.

    Without ``operation``, the document's operation of the same name is used (the
    authorize stage hands over a rewritten document whose nodes are new objects).
    """
    if operation is None:
        raise ValueError("an operation is required")
    return _with_root_selections(document, operation, keep_introspection=False)


def operation_named(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition
    raise ValueError(f"the document has no operation named {name!r}")


def run_introspection(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Execute only the introspection root fields of ``operation``."""
    intro_doc = _with_root_selections(document, operation, keep_introspection=True)
    result = execute_sync(
        schema,
        intro_doc,
        variable_values=variables,
        operation_name=operation.name.value if operation.name else None,
    )
    errors = [dict(e.formatted) for e in (result.errors or [])]
    return dict(result.data or {}), errors
