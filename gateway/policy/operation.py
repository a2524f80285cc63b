"""The operation as the authorize stage handles it: selecting it, building nodes, rebuilding.

Small graphql-core helpers kept apart from the walk in ``authorize.py``: a refusal that
stops authorization with one client error, error dicts, synthetic field nodes (hidden
fields, ``__typename``), list steps for error paths, and the rebuilt operation (one
operation, fragments inlined, variables pruned to those still used).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

__all__ = [
    "Refused",
    "error_dict",
    "field_node",
    "list_steps",
    "name_node",
    "rebuild_operation",
    "select_operation",
]


class Refused(Exception):
    """The operation cannot be authorized at all (unknown field, reserved alias …)."""

    def __init__(self, message: str, code: str, path: list[str]) -> None:
        super().__init__(message)
        self.error = error_dict(message, path, code)


def error_dict(
    message: str, path: list[str], code: str, coordinate: str | None = None
) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": code}
    if coordinate is not None:
        extensions["coordinate"] = coordinate
    error: dict[str, Any] = {"message": message, "extensions": extensions}
    if path:
        error["path"] = list(path)
    return error


def name_node(value: str) -> NameNode:
    return NameNode(value=value)


def field_node(
    name: str, alias: str | None = None, selections: tuple[SelectionNode, ...] = ()
) -> FieldNode:
    return FieldNode(
        alias=name_node(alias) if alias else None,
        name=name_node(name),
        arguments=(),
        directives=(),
        selection_set=SelectionSetNode(selections=selections) if selections else None,
    )


def list_steps(type_: GraphQLOutputType) -> list[str]:
    steps: list[str] = []
    current: Any = type_
    while isinstance(current, GraphQLNonNull | GraphQLList):
        if isinstance(current, GraphQLList):
            steps.append("@")
        current = current.of_type
    return steps


def select_operation(
    document: DocumentNode, operation_name: str | None
) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode]]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if operation_name is not None:
        chosen = [op for op in operations if op.name and op.name.value == operation_name]
    else:
        chosen = operations
    if len(chosen) != 1:
        raise Refused(
            f"Unknown operation {operation_name}"
            if operation_name
            else "The document must hold exactly one operation, or name the one to run",
            "OPERATION_RESOLUTION_FAILURE",
            [],
        )
    return chosen[0], fragments


class _UsedVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.names.add(node.name.value)


def rebuild_operation(
    operation: OperationDefinitionNode, selections: list[SelectionNode]
) -> DocumentNode:
    selection_set = SelectionSetNode(selections=tuple(selections))
    used = _UsedVariables()
    visit(selection_set, used)
    for directive in operation.directives or ():
        visit(directive, used)
    # A variable only a removed field used would fail validation of the planned operation.
    definitions = tuple(
        d for d in operation.variable_definitions or () if d.variable.name.value in used.names
    )
    new_operation = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=definitions,
        directives=operation.directives,
        selection_set=selection_set,
    )
    return DocumentNode(definitions=(new_operation,))
