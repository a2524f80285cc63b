"""Turn filled fetch groups into plan nodes: operations, dependencies, parallelism."""

from __future__ import annotations

import re

from graphql import VariableDefinitionNode, print_ast

from gateway.planner.groups import Condition, Group
from gateway.planner.nodes import (
    ConditionNode,
    FetchNode,
    FieldSelection,
    FlattenNode,
    InlineFragmentSelection,
    ParallelNode,
    PlanNode,
    QueryPlan,
    Selection,
    SequenceNode,
)
from gateway.planner.selections import SelField, SelSet, variables_in
from gateway.planner.shapes import alias_clashing_fields

__all__ = ["build_plan"]

_NOT_NAME = re.compile(r"[^_0-9A-Za-z]")


def _requires(selset: SelSet) -> tuple[Selection, ...]:
    out: list[Selection] = []
    for item in selset.items.values():
        if isinstance(item, SelField):
            children = () if item.selset is None else _requires(item.selset)
            out.append(FieldSelection(item.name, children))
        else:
            out.append(InlineFragmentSelection(item.type_condition, _requires(item.selset)))
    return tuple(out)


class _Builder:
    def __init__(
        self,
        groups: list[Group],
        kind: str,
        operation_name: str | None,
        variables: dict[str, VariableDefinitionNode],
    ) -> None:
        self.kind = kind
        self.operation_name = operation_name
        self.variables = variables
        self.counter = 0
        self.groups = self._prune(groups)
        self.by_id = {g.id: g for g in self.groups}
        self.children: dict[int, list[Group]] = {g.id: [] for g in self.groups}
        # A group waiting on several groups can still hang in a tree below the last of
        # them when the others are that one's ancestors (a chain, as with @requires).
        self.tree_parent: dict[int, int | None] = {}
        for group in self.groups:
            self.tree_parent[group.id] = self._tree_parent(group)
            for parent in sorted(group.parents):
                self.children[parent].append(group)

    def _ancestors(self, gid: int) -> set[int]:
        seen: set[int] = set()
        stack = list(self.by_id[gid].parents)
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.by_id[current].parents)
        return seen

    def _tree_parent(self, group: Group) -> int | None:
        if len(group.parents) <= 1:
            return next(iter(group.parents), None)
        for candidate in group.parents:
            if group.parents - {candidate} <= self._ancestors(candidate):
                return candidate
        return -1

    @staticmethod
    def _prune(groups: list[Group]) -> list[Group]:
        """Drop groups that select nothing, handing their dependencies to their children."""
        empty = {g.id: g for g in groups if g.selset.is_empty()}
        kept = [g for g in groups if g.id not in empty]
        for group in kept:
            parents = set(group.parents)
            while parents & empty.keys():
                for gid in parents & empty.keys():
                    parents.discard(gid)
                    parents |= empty[gid].parents
            group.parents = parents
        return kept

    def fetch(self, group: Group) -> PlanNode:
        index = self.counter
        self.counter += 1
        name = None
        if self.operation_name:
            name = f"{self.operation_name}__{_NOT_NAME.sub('_', group.graph)}__{index}"
        if group.is_entity:
            group.selset.drop_implied_guards(frozenset(group.conditions))
        group.selset.prune_redundant()
        renames = alias_clashing_fields(group.selset)
        if renames and group.is_entity:
            # rewrite paths start with "... on T": the entity must say what it is
            for item in group.selset.items.values():
                if not isinstance(item, SelField):
                    item.selset.field("__typename")
        used = variables_in(group.selset)
        definitions = [
            f"${v}:{print_ast(self.variables[v].type)}"
            + (f"={print_ast(d)}" if (d := self.variables[v].default_value) is not None else "")
            for v in used
            if v in self.variables
        ]
        head = f" {name}" if name else ""
        if group.is_entity:
            args = ",".join(["$representations:[_Any!]!", *definitions])
            operation = (
                f"query{head}({args}){{_entities(representations:$representations)"
                f"{group.selset.print()}}}"
            )
            node: PlanNode = FetchNode(
                service_name=group.graph,
                operation=operation,
                operation_kind="query",
                operation_name=name,
                variable_usages=tuple(v for v in used if v in self.variables),
                requires=_requires(group.requires),
                input_rewrites=tuple(group.input_rewrites),
                output_rewrites=renames,
                id=index,
            )
            return FlattenNode(group.path, node)
        args = f"({','.join(definitions)})" if definitions else ""
        kind = group.root_kind
        return FetchNode(
            service_name=group.graph,
            operation=f"{kind}{head}{args}{group.selset.print()}",
            operation_kind=kind,
            operation_name=name,
            variable_usages=tuple(v for v in used if v in self.variables),
            output_rewrites=renames,
            id=index,
        )

    def build(self) -> QueryPlan:
        roots = [g for g in self.groups if not g.parents]
        if not roots:
            return QueryPlan(None)
        is_tree = all(p != -1 for p in self.tree_parent.values())
        if is_tree:
            self.children = {g.id: [] for g in self.groups}
            for group in self.groups:
                parent = self.tree_parent[group.id]
                if parent is not None:
                    self.children[parent].append(group)
        if self.kind == "mutation":
            parts = [self._tree(r, ()) if is_tree else self._levels(self._family(r)) for r in roots]
            return QueryPlan(_sequence(parts))
        if is_tree:
            return QueryPlan(_parallel([self._tree(r, ()) for r in roots]))
        return QueryPlan(self._levels(self.groups))

    def _tree(self, group: Group, outer: tuple[Condition, ...]) -> PlanNode:
        node = self.fetch(group)
        kids = [self._tree(k, group.conditions) for k in self.children[group.id]]
        if kids:
            node = _sequence([node, _parallel(kids)])
        return _wrap(node, group.conditions, outer)

    def _family(self, root: Group) -> list[Group]:
        seen: dict[int, Group] = {}
        stack = [root]
        while stack:
            current = stack.pop()
            if current.id in seen:
                continue
            seen[current.id] = current
            stack.extend(self.children[current.id])
        return sorted(seen.values(), key=lambda g: g.id)

    def _levels(self, groups: list[Group]) -> PlanNode:
        members = {g.id for g in groups}
        level: dict[int, int] = {}

        def depth(group: Group) -> int:
            if group.id not in level:
                parents = [self.by_id[p] for p in group.parents if p in members]
                level[group.id] = 1 + max((depth(p) for p in parents), default=-1)
            return level[group.id]

        stages: dict[int, list[PlanNode]] = {}
        for group in groups:
            node = _wrap(self.fetch(group), group.conditions, ())
            stages.setdefault(depth(group), []).append(node)
        return _sequence([_parallel(stages[i]) for i in sorted(stages)])


def _wrap(
    node: PlanNode, conditions: tuple[Condition, ...], outer: tuple[Condition, ...]
) -> PlanNode:
    extra = [c for c in conditions if c not in outer]
    for variable, value in reversed(extra):
        node = ConditionNode(variable, node, None) if value else ConditionNode(variable, None, node)
    return node


def _sequence(nodes: list[PlanNode]) -> PlanNode:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, SequenceNode) else (node,))
    return flat[0] if len(flat) == 1 else SequenceNode(tuple(flat))


def _parallel(nodes: list[PlanNode]) -> PlanNode:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, ParallelNode) else (node,))
    return flat[0] if len(flat) == 1 else ParallelNode(tuple(flat))


def build_plan(
    groups: list[Group],
    kind: str,
    operation_name: str | None,
    variables: dict[str, VariableDefinitionNode],
) -> QueryPlan:
    """Build the plan tree for the groups a walk produced."""
    return _Builder(groups, kind, operation_name, variables).build()
