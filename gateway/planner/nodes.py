"""Query plan nodes: the plain-data contract between the planner and the executor.

A plan holds no schema objects, closures or I/O, so it can be printed, compared in
tests, serialised to JSON (``to_dict``/``from_dict``, tagged by ``kind``) and cached.

Tree of nodes::

    QueryPlan(node)
      Sequence(nodes)        run children in order; each sees the data the previous wrote
      Parallel(nodes)        run children concurrently
      Flatten(path, node)    run ``node`` (a Fetch) on the entities found at ``path``
      Fetch(...)             one subgraph request: a root operation, or ``_entities``
      Condition(variable, if_clause, else_clause)   ``@skip``/``@include`` on a variable

Paths (``Flatten.path``, rewrite paths) are response keys from the root of the
response; ``"@"`` steps into every element of a list. A rewrite path element
``"... on T"`` keeps only objects whose ``__typename`` is ``T``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

__all__ = [
    "ConditionNode",
    "FetchNode",
    "FetchRewrite",
    "FieldSelection",
    "FlattenNode",
    "InlineFragmentSelection",
    "KeyRenamer",
    "ParallelNode",
    "PlanNode",
    "QueryPlan",
    "Selection",
    "SequenceNode",
    "ValueSetter",
    "node_from_dict",
]


@dataclass(frozen=True, slots=True)
class FieldSelection:
    """A field read from an entity to build its representation (by field name)."""

    name: str
    selections: tuple[Selection, ...] = ()


@dataclass(frozen=True, slots=True)
class InlineFragmentSelection:
    """Selections that apply when the entity's ``__typename`` is ``type_condition``."""

    type_condition: str | None
    selections: tuple[Selection, ...]


Selection: TypeAlias = FieldSelection | InlineFragmentSelection


@dataclass(frozen=True, slots=True)
class ValueSetter:
    """Set the value at ``path`` (inside one representation or fetched entity)."""

    path: tuple[str, ...]
    set_value_to: Any


@dataclass(frozen=True, slots=True)
class KeyRenamer:
    """Rename the key at ``path`` to ``rename_key_to`` (e.g. an alias the subgraph used)."""

    path: tuple[str, ...]
    rename_key_to: str


FetchRewrite: TypeAlias = ValueSetter | KeyRenamer


@dataclass(frozen=True, slots=True)
class FetchNode:
    """One request to one subgraph.

    Without ``requires`` it is a root fetch: send ``operation`` with the client's
    variables named in ``variable_usages``, apply ``output_rewrites`` to its data (paths
    from the operation's root) and merge the result at the current path.
    With ``requires`` it is an entity fetch: for each object at the current path whose
    ``__typename`` matches a fragment of ``requires``, build a representation from those
    selections (after ``input_rewrites``), de-duplicate, send them as ``$representations``
    with ``operation`` (an ``_entities`` query), apply ``output_rewrites`` to each
    returned entity and merge it back into the object it came from. Objects whose
    representation could not be built (a key is null) are skipped.
    """

    service_name: str
    operation: str
    operation_kind: Literal["query", "mutation", "subscription"] = "query"
    operation_name: str | None = None
    variable_usages: tuple[str, ...] = ()
    requires: tuple[Selection, ...] | None = None
    input_rewrites: tuple[FetchRewrite, ...] = ()
    output_rewrites: tuple[FetchRewrite, ...] = ()
    id: int | None = None

    @property
    def is_entity_fetch(self) -> bool:
        return self.requires is not None


@dataclass(frozen=True, slots=True)
class FlattenNode:
    """Run ``node`` at every object found under ``path`` (``"@"`` = each list item)."""

    path: tuple[str, ...]
    node: PlanNode


@dataclass(frozen=True, slots=True)
class SequenceNode:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class ParallelNode:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class ConditionNode:
    """Pick a branch by the boolean value of variable ``condition``."""

    condition: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode: TypeAlias = FetchNode | FlattenNode | SequenceNode | ParallelNode | ConditionNode


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """The root of a plan; ``node`` is None when nothing needs fetching."""

    node: PlanNode | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "QueryPlan",
            "node": None if self.node is None else _node_to_dict(self.node),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QueryPlan:
        raw = data.get("node")
        return cls(None if raw is None else node_from_dict(raw))


def _selection_to_dict(sel: Selection) -> dict[str, Any]:
    if isinstance(sel, FieldSelection):
        out: dict[str, Any] = {"kind": "Field", "name": sel.name}
        if sel.selections:
            out["selections"] = [_selection_to_dict(s) for s in sel.selections]
        return out
    return {
        "kind": "InlineFragment",
        "typeCondition": sel.type_condition,
        "selections": [_selection_to_dict(s) for s in sel.selections],
    }


def _selection_from_dict(data: dict[str, Any]) -> Selection:
    children = tuple(_selection_from_dict(s) for s in data.get("selections", ()))
    if data["kind"] == "Field":
        return FieldSelection(data["name"], children)
    return InlineFragmentSelection(data.get("typeCondition"), children)


def _rewrite_to_dict(rw: FetchRewrite) -> dict[str, Any]:
    if isinstance(rw, ValueSetter):
        return {"kind": "ValueSetter", "path": list(rw.path), "setValueTo": rw.set_value_to}
    return {"kind": "KeyRenamer", "path": list(rw.path), "renameKeyTo": rw.rename_key_to}


def _rewrite_from_dict(data: dict[str, Any]) -> FetchRewrite:
    if data["kind"] == "ValueSetter":
        return ValueSetter(tuple(data["path"]), data["setValueTo"])
    return KeyRenamer(tuple(data["path"]), data["renameKeyTo"])


def _node_to_dict(node: PlanNode) -> dict[str, Any]:
    match node:
        case FetchNode():
            out: dict[str, Any] = {
                "kind": "Fetch",
                "serviceName": node.service_name,
                "operation": node.operation,
                "operationKind": node.operation_kind,
                "operationName": node.operation_name,
                "variableUsages": list(node.variable_usages),
            }
            if node.requires is not None:
                out["requires"] = [_selection_to_dict(s) for s in node.requires]
            if node.input_rewrites:
                out["inputRewrites"] = [_rewrite_to_dict(r) for r in node.input_rewrites]
            if node.output_rewrites:
                out["outputRewrites"] = [_rewrite_to_dict(r) for r in node.output_rewrites]
            if node.id is not None:
                out["id"] = node.id
            return out
        case FlattenNode():
            return {"kind": "Flatten", "path": list(node.path), "node": _node_to_dict(node.node)}
        case SequenceNode():
            return {"kind": "Sequence", "nodes": [_node_to_dict(n) for n in node.nodes]}
        case ParallelNode():
            return {"kind": "Parallel", "nodes": [_node_to_dict(n) for n in node.nodes]}
        case ConditionNode():
            return {
                "kind": "Condition",
                "condition": node.condition,
                "ifClause": None if node.if_clause is None else _node_to_dict(node.if_clause),
                "elseClause": None if node.else_clause is None else _node_to_dict(node.else_clause),
            }
    raise TypeError(f"not a plan node: {node!r}")


def node_from_dict(data: dict[str, Any]) -> PlanNode:
    kind = data.get("kind")
    if kind == "Fetch":
        requires = data.get("requires")
        return FetchNode(
            service_name=data["serviceName"],
            operation=data["operation"],
            operation_kind=data.get("operationKind", "query"),
            operation_name=data.get("operationName"),
            variable_usages=tuple(data.get("variableUsages", ())),
            requires=None if requires is None else tuple(_selection_from_dict(s) for s in requires),
            input_rewrites=tuple(_rewrite_from_dict(r) for r in data.get("inputRewrites", ())),
            output_rewrites=tuple(_rewrite_from_dict(r) for r in data.get("outputRewrites", ())),
            id=data.get("id"),
        )
    if kind == "Flatten":
        return FlattenNode(tuple(data["path"]), node_from_dict(data["node"]))
    if kind == "Sequence":
        return SequenceNode(tuple(node_from_dict(n) for n in data["nodes"]))
    if kind == "Parallel":
        return ParallelNode(tuple(node_from_dict(n) for n in data["nodes"]))
    if kind == "Condition":
        if_raw, else_raw = data.get("ifClause"), data.get("elseClause")
        return ConditionNode(
            data["condition"],
            None if if_raw is None else node_from_dict(if_raw),
            None if else_raw is None else node_from_dict(else_raw),
        )
    raise ValueError(f"unknown plan node kind: {kind!r}")
