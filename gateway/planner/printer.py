"""``print_plan``: the Apollo-like text form of a plan, for snapshots and ``govgraph plan``."""

from __future__ import annotations

from graphql import FieldNode, OperationDefinitionNode, parse, print_ast

from gateway.planner.nodes import (
    ConditionNode,
    FetchNode,
    FieldSelection,
    FlattenNode,
    KeyRenamer,
    ParallelNode,
    PlanNode,
    QueryPlan,
    Selection,
    SequenceNode,
    ValueSetter,
)

__all__ = ["print_plan"]

_INDENT = "  "


def print_plan(plan: QueryPlan) -> str:
    """``QueryPlan { Sequence { Fetch(service: "a") { ... }, Flatten(path: "x.@") {...} } }``."""
    if plan.node is None:
        return "QueryPlan {\n}"
    return "QueryPlan {\n" + _node(plan.node, 1) + "\n}"


def _block(text: str, depth: int) -> str:
    pad = _INDENT * depth
    return "\n".join(pad + line if line else line for line in text.splitlines())


def _node(node: PlanNode, depth: int) -> str:
    pad = _INDENT * depth
    if isinstance(node, FetchNode):
        return _fetch(node, depth)
    if isinstance(node, FlattenNode):
        path = ".".join(node.path)
        return f'{pad}Flatten(path: "{path}") {{\n{_node(node.node, depth + 1)}\n{pad}}},'
    if isinstance(node, SequenceNode | ParallelNode):
        title = "Sequence" if isinstance(node, SequenceNode) else "Parallel"
        inner = "\n".join(_node(child, depth + 1) for child in node.nodes)
        return f"{pad}{title} {{\n{inner}\n{pad}}},"
    assert isinstance(node, ConditionNode)
    if node.if_clause is None and node.else_clause is not None:
        inner = _node(node.else_clause, depth + 1)
        return f"{pad}Skip(if: ${node.condition}) {{\n{inner}\n{pad}}},"
    parts = [f"{pad}Include(if: ${node.condition}) {{"]
    if node.if_clause is not None:
        parts.append(_node(node.if_clause, depth + 1))
    if node.else_clause is not None:
        parts.append(f"{pad}}} Else {{")
        parts.append(_node(node.else_clause, depth + 1))
    parts.append(f"{pad}}},")
    return "\n".join(parts)


def _fetch(node: FetchNode, depth: int) -> str:
    pad = _INDENT * depth
    document = parse(node.operation, no_location=True)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    lines = [f'{pad}Fetch(service: "{node.service_name}") {{']
    if node.requires is not None:
        lines.append(_block(_selections(node.requires), depth + 1) + " =>")
        entities = operation.selection_set.selections[0]
        assert isinstance(entities, FieldNode) and entities.selection_set is not None
        lines.append(_block(print_ast(entities.selection_set), depth + 1))
    else:
        if operation.variable_definitions or operation.operation.value != "query":
            head = print_ast(operation).split("{", 1)[0].strip()
            lines.append(_block(head + " " + print_ast(operation.selection_set), depth + 1))
        else:
            lines.append(_block(print_ast(operation.selection_set), depth + 1))
    for title, rewrites in (
        ("inputRewrites", node.input_rewrites),
        ("outputRewrites", node.output_rewrites),
    ):
        for rewrite in rewrites:
            if isinstance(rewrite, ValueSetter):
                text = f"{'.'.join(rewrite.path)} = {rewrite.set_value_to!r}"
            else:
                assert isinstance(rewrite, KeyRenamer)
                text = f"{'.'.join(rewrite.path)} -> {rewrite.rename_key_to}"
            lines.append(f"{pad}{_INDENT}{title}: {text}")
    lines.append(f"{pad}}},")
    return "\n".join(lines)


def _selections(selections: tuple[Selection, ...], depth: int = 0) -> str:
    pad = _INDENT * depth
    lines = ["{"]
    for selection in selections:
        if isinstance(selection, FieldSelection):
            if selection.selections:
                inner = _selections(selection.selections, depth + 1)
                lines.append(f"{pad}{_INDENT}{selection.name} {inner.lstrip()}")
            else:
                lines.append(f"{pad}{_INDENT}{selection.name}")
        else:
            inner = _selections(selection.selections, depth + 1)
            lines.append(f"{pad}{_INDENT}... on {selection.type_condition} {inner.lstrip()}")
    lines.append(pad + "}")
    return "\n".join(lines)
