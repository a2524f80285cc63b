"""How well a subgraph fits a selection: the fields it would have to leave to others."""

from __future__ import annotations

from collections.abc import Callable

from graphql import FieldNode, SelectionNode, SelectionSetNode

from gateway.planner.catalog import Catalog
from gateway.planner.groups import Provided, provided_from

__all__ = ["CostModel"]


class CostModel:
    """Counts the selected fields a subgraph cannot resolve itself (lower is better).

    A missing field weighs one plus the size of its selection, which would have to be
    fetched elsewhere; ``@provides`` and abstract types are taken into account.
    """

    def __init__(
        self,
        catalog: Catalog,
        fragment_body: Callable[[SelectionNode], tuple[str | None, SelectionSetNode]],
    ) -> None:
        self.catalog = catalog
        self.fragment_body = fragment_body

    def missing(
        self,
        graph: str,
        parent: str,
        node: FieldNode,
        depth: int,
        provided: Provided | None = None,
    ) -> int:
        """How many selected fields below ``node`` the subgraph cannot resolve itself."""
        if node.selection_set is None or depth == 0:
            return 0
        name = node.name.value
        return_type = self.catalog.field_type_name(parent, name) or parent
        below = None
        if provided is not None:
            below = provided.get("", {}).get(name) or provided.get(parent, {}).get(name)
        if below is None:
            below = provided_from(self.catalog.provides(parent, name, graph))
        return self._missing_in(graph, return_type, node.selection_set, depth, below)

    def _size(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1 + self._size(selection.selection_set)
            else:
                total += self._size(self.fragment_body(selection)[1])
        return total

    def _missing_in(
        self,
        graph: str,
        parent: str,
        selection_set: SelectionSetNode,
        depth: int,
        provided: Provided | None,
    ) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__") or self.catalog.field_def(parent, name) is None:
                    continue
                is_provided = provided is not None and (
                    name in provided.get("", {}) or name in provided.get(parent, {})
                )
                if not is_provided and (
                    graph not in self.catalog.field_graphs(parent, name)
                    or self.catalog.requires(parent, name, graph)
                    or not all(
                        graph in self.catalog.field_graphs(t, name)
                        for t in self.catalog.possible_types(parent, graph)
                    )
                ):
                    count += 1 + self._size(selection.selection_set)
                    continue
                count += self.missing(graph, parent, selection, depth - 1, provided)
            else:
                cond, body = self.fragment_body(selection)
                count += self._missing_in(graph, cond or parent, body, depth, provided)
        return count
