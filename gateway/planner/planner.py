"""``QueryPlanner``: plan one operation of a document over the supergraph's subgraphs.

Stages: pick the operation, walk it over the subgraphs into fetch groups
(``walker``), alias clashing response shapes (``shapes``), and build the plan tree
(``build``). Choices the executor and callers rely on:

- ``@skip``/``@include`` with a constant are folded away. With a variable, the
  directive stays in the subgraph operation (the variable is forwarded) and every
  fetch that exists only for the guarded selection is wrapped in a ``Condition``.
- Progressive ``@override`` labels: see ``catalog.label_enabled`` (``percent(N)`` is on
  only at 100 unless the caller enables the label).
- ``__typename`` at the root rides on the first root fetch; an operation selecting
  nothing else gets ``QueryPlan(None)`` and the executor answers it. Introspection
  fields (``__schema``, ``__type``) are never planned: the gateway answers them.
- ``@defer``/``@stream`` are not forwarded: the selections are fetched eagerly.
- Root fetches may carry ``output_rewrites`` (aliases for clashing leaf types); the
  executor applies them to the root fetch's data as it does for entity fetches.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    Visitor,
    visit,
)

from gateway.errors import PlanningError
from gateway.planner.build import build_plan
from gateway.planner.catalog import Catalog
from gateway.planner.groups import OperationKind
from gateway.planner.nodes import QueryPlan
from gateway.planner.walker import Walker
from gateway.supergraph import Supergraph

__all__ = ["QueryPlanner"]


class QueryPlanner:
    """Pure and synchronous; plans are plain data the caller may cache.

    ``enabled_override_labels`` switches progressive ``@override`` labels on (see
    ``catalog.label_enabled`` for ``percent(N)``); a caller that varies it per request
    must key its plan cache on it.
    """

    def __init__(
        self, supergraph: Supergraph, enabled_override_labels: frozenset[str] = frozenset()
    ) -> None:
        self.supergraph = supergraph
        self.catalog = Catalog(supergraph, enabled_override_labels)

    def plan(self, document: DocumentNode, operation_name: str | None = None) -> QueryPlan:
        operation = _select_operation(document, operation_name)
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        if operation.operation.value == "subscription":
            raise PlanningError("subscriptions are not supported by this gateway")
        kind: OperationKind = "mutation" if operation.operation.value == "mutation" else "query"
        root_type = self.supergraph.root_types.get(kind)
        if root_type is None:
            raise PlanningError(f"the schema has no {kind} type")
        walker = Walker(self.catalog, fragments, _aliased_keys(document))
        try:
            walker.walk_root(kind, root_type, operation.selection_set)
        except RecursionError:
            # only an unvalidated document (fragment cycle) or an absurd depth gets here
            raise PlanningError("the operation is nested too deeply to plan") from None
        variables = {v.variable.name.value: v for v in operation.variable_definitions or ()}
        name = operation.name.value if operation.name else None
        return build_plan(walker.groups, kind, name, variables)


def _aliased_keys(document: DocumentNode) -> frozenset[str]:
    """Response keys the client gives to fields of another name (``id: name``)."""
    taken: set[str] = set()

    class _Aliases(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            if node.alias is not None and node.alias.value != node.name.value:
                taken.add(node.alias.value)

    visit(document, _Aliases())
    return frozenset(taken)


def _select_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        raise PlanningError("the document contains no operation")
    if name is None:
        if len(operations) > 1:
            raise PlanningError("the document has several operations: name one (operationName)")
        return operations[0]
    for operation in operations:
        if operation.name is not None and operation.name.value == name:
            return operation
    raise PlanningError(f"the document has no operation named {name!r}")
