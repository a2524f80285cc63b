"""Walk an operation over the subgraphs, filling fetch groups (the planner's core).

The walk keeps a *current group* (the subgraph request that produced the object being
visited). A field the current subgraph resolves is added to it; any other field makes
an *entity jump*: the current group also fetches ``__typename`` and a key (and any
``@requires`` fields, planned the same way, so they may come from further jumps) and a
dependent ``_entities`` group in a subgraph that resolves the field continues the walk.
Abstract types are kept as they are when every possible type in the subgraph resolves
the field there; otherwise the selection is split per possible object type. A type
condition no object can meet is dropped: one another subgraph resolving the same
shareable position could never return (shareable fields return the same data).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
)

from gateway.errors import PlanningError
from gateway.planner.catalog import Catalog
from gateway.planner.cost import CostModel
from gateway.planner.groups import (
    Anchor,
    Condition,
    Ctx,
    Group,
    OperationKind,
    Provided,
    provided_from,
)
from gateway.planner.jumps import EntityJumps
from gateway.planner.selections import SelField, SelSet
from gateway.planner.wrappers import list_depth

__all__ = ["Walker"]


def _common(a: tuple[Condition, ...], b: tuple[Condition, ...]) -> tuple[Condition, ...]:
    return tuple(c for c in a if c in b)


_Leaf = tuple[str, str, int, tuple[Condition, ...]]


_Levels = tuple[tuple[DirectiveNode, ...], ...]


def _nested(target: SelSet, levels: _Levels) -> SelSet:
    """The selection set inside one untyped inline fragment per level of directives."""
    for directives in levels:
        target = target.fragment(None, directives).selset
    return target


class Walker(EntityJumps):
    """Fills ``groups`` for one operation; see the module docstring."""

    def __init__(
        self,
        catalog: Catalog,
        fragments: dict[str, FragmentDefinitionNode],
        taken: frozenset[str] = frozenset(),
    ):
        self.catalog = catalog
        # response keys the client gives to other fields: planner fields must avoid them
        self.taken = taken
        self.fragments = fragments
        self.groups: list[Group] = []
        self.root_groups: list[Group] = []
        self._collectors: list[set[int]] = []
        self._aliases: dict[str, str] = {}
        self.cost = CostModel(catalog, self._fragment_body)
        # (typed path, response key) -> (type, name and arguments, group, conditions) of the
        # leaves planned so far: the same leaf on the same objects is fetched once
        self._leaves: dict[tuple[tuple[str, ...], str], list[_Leaf]] = {}

    # -- groups ----------------------------------------------------------------------

    def _new_group(
        self, graph: str, path: tuple[str, ...], is_entity: bool, conditions: tuple[Condition, ...]
    ) -> Group:
        group = Group(len(self.groups), graph, path, is_entity, conditions=conditions)
        self.groups.append(group)
        return group

    def _touch(self, group: Group) -> None:
        for collector in self._collectors:
            collector.add(group.id)

    def _ancestors(self, ids: set[int]) -> set[int]:
        seen: set[int] = set()
        stack = list(ids)
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(self.groups[current].parents)
        return seen

    def _child_group(
        self,
        ctx: Ctx,
        graph: str,
        path: tuple[str, ...],
        producers: set[int],
        signatures: dict[tuple[str, ...], str],
    ) -> Group:
        blocked = self._ancestors(producers)
        for group in self.groups:
            if (
                group.is_entity
                and group.graph == graph
                and group.path == path
                and group.id not in blocked
                # one representation cannot carry a field with two sets of arguments
                and all(group.signatures.get(k, v) == v for k, v in signatures.items())
            ):
                group.parents |= producers
                group.signatures.update(signatures)
                # Fetching a guarded selection along with others costs less than a
                # second request; the guard stays in the subgraph operation.
                group.conditions = _common(group.conditions, ctx.conditions)
                return group
        group = self._new_group(graph, path, True, ctx.conditions)
        group.parents |= producers
        group.signatures.update(signatures)
        return group

    # -- root ------------------------------------------------------------------------

    def walk_root(
        self, kind: OperationKind, root_type: str, selection_set: SelectionSetNode
    ) -> None:
        typenames: list[tuple[FieldNode, tuple[DirectiveNode, ...], _Levels]] = []
        for node, directives, outer, conditions in self._root_fields(selection_set, (), ()):
            name = node.name.value
            if name == "__typename":
                typenames.append((node, directives, outer))
                continue
            if name.startswith("__"):
                continue  # introspection is answered by the gateway itself
            graphs = self.catalog.field_graphs(root_type, name)
            if not graphs:
                raise PlanningError(f"no subgraph resolves {root_type}.{name}")
            graph = self._choose_root(kind, root_type, node, graphs, conditions)
            group = self._root_group(kind, graph, conditions)
            group.root_kind = kind
            anchor = Anchor(root_type, ()) if kind == "query" else None
            root_ctx = Ctx(group, None, conditions, anchor=anchor)
            target = _nested(group.selset, outer)
            self._add_local(root_ctx, root_type, node, directives, target, ())
        if typenames and self.root_groups:
            for node, directives, outer in typenames:
                alias = node.alias.value if node.alias else None
                _nested(self.root_groups[0].selset, outer).field(
                    "__typename", alias, (), directives
                )

    def _root_fields(
        self,
        selection_set: SelectionSetNode,
        outer: _Levels,
        conditions: tuple[Condition, ...],
    ) -> Iterator[tuple[FieldNode, tuple[DirectiveNode, ...], _Levels, tuple[Condition, ...]]]:
        """Root fields with their own directives and, one level per enclosing fragment,
        the directives of the fragments around them: kept apart, because @include and
        @skip may stand once per node and each fragment has its own."""
        for selection in selection_set.selections:
            folded = self._directives(selection)
            if folded is None:
                continue
            kept, conds = folded
            if isinstance(selection, FieldNode):
                yield selection, kept, outer, conditions + conds
            else:
                sub = self._fragment_body(selection)[1]
                levels = (*outer, kept) if kept else outer
                yield from self._root_fields(sub, levels, conditions + conds)

    def _root_group(self, kind: str, graph: str, conditions: tuple[Condition, ...]) -> Group:
        if kind == "mutation":
            if self.root_groups:
                last = self.root_groups[-1]
                if last.graph == graph and last.conditions == conditions:
                    return last
        else:
            for group in self.root_groups:
                if group.graph == graph and group.conditions == conditions:
                    return group
        group = self._new_group(graph, (), False, conditions)
        self.root_groups.append(group)
        return group

    def _choose_root(
        self,
        kind: str,
        root_type: str,
        node: FieldNode,
        graphs: frozenset[str],
        conditions: tuple[Condition, ...],
    ) -> str:
        existing = {g.graph for g in self.root_groups if g.conditions == conditions}
        if kind == "mutation":
            existing = {self.root_groups[-1].graph} if self.root_groups else set()
        return min(
            sorted(graphs),
            key=lambda g: (
                self.cost.missing(
                    g, root_type, FieldNode(name=node.name, selection_set=node.selection_set), 4
                ),
                g not in existing,
            ),
        )

    # -- selections ------------------------------------------------------------------

    def _directives(
        self, node: SelectionNode
    ) -> tuple[tuple[DirectiveNode, ...], tuple[Condition, ...]] | None:
        """Fold constant @skip/@include; keep variable ones (None: never selected)."""
        kept: list[DirectiveNode] = []
        conditions: list[Condition] = []
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue  # other executable directives are not forwarded
            value = next((a.value for a in directive.arguments if a.name.value == "if"), None)
            if isinstance(value, BooleanValueNode):
                if value.value != (name == "include"):
                    return None
            elif isinstance(value, VariableNode):
                kept.append(directive)
                conditions.append((value.name.value, name == "include"))
        return tuple(kept), tuple(conditions)

    def _fragment_body(self, node: SelectionNode) -> tuple[str | None, SelectionSetNode]:
        if isinstance(node, FragmentSpreadNode):
            definition = self.fragments.get(node.name.value)
            if definition is None:
                raise PlanningError(f"unknown fragment {node.name.value!r}")
            return definition.type_condition.name.value, definition.selection_set
        assert isinstance(node, InlineFragmentNode)
        cond = node.type_condition.name.value if node.type_condition else None
        return cond, node.selection_set

    def visit(
        self,
        ctx: Ctx,
        parent: str,
        selection_set: SelectionSetNode,
        target: SelSet,
        path: tuple[str, ...],
    ) -> None:
        for selection in selection_set.selections:
            folded = self._directives(selection)
            if folded is None:
                continue
            kept, conds = folded
            sub_ctx = ctx.extra(conditions=ctx.conditions + conds) if conds else ctx
            if isinstance(selection, FieldNode):
                self._visit_field(sub_ctx, parent, selection, kept, target, path)
            else:
                cond, body = self._fragment_body(selection)
                self._visit_fragment(sub_ctx, parent, cond, kept, body, target, path)

    def _visit_fragment(
        self,
        ctx: Ctx,
        parent: str,
        cond: str | None,
        directives: tuple[DirectiveNode, ...],
        body: SelectionSetNode,
        target: SelSet,
        path: tuple[str, ...],
    ) -> None:
        catalog, graph = self.catalog, ctx.group.graph
        if cond is None or cond == parent or not catalog.is_abstract(parent):
            if (
                cond is not None
                and cond != parent
                and parent not in catalog.possible_types(cond, None)
            ):
                return
            inner = target.fragment(None, directives).selset if directives else target
            self.visit(ctx, parent, body, inner, path)
            return
        if catalog.is_interface_object(parent, graph):
            # This subgraph only knows the interface; learn the object type elsewhere.
            child_ctx, child_target = self._jump_to_real_interface(ctx, parent, target, path)
            self._visit_fragment(child_ctx, parent, cond, directives, body, child_target, path)
            return
        if self._ruled_out(ctx, parent, cond):
            return
        in_parent = catalog.possible_types(parent, graph)
        if not catalog.is_abstract(cond):
            if cond in in_parent:
                inner = target.fragment(cond, directives).selset
                self.visit(self._anchored(ctx, cond, path, inner), cond, body, inner, path)
            return
        # The supergraph decides which objects match the condition; the subgraph may not
        # know an object implements it, and then only a per-type fragment reaches it.
        everywhere = catalog.possible_types(cond, None)
        shared = [t for t in in_parent if t in everywhere]
        if not shared:
            return
        here = catalog.possible_types(cond, graph) if catalog.has_type(graph, cond) else ()
        if all(t in here for t in shared):
            self.visit(ctx, cond, body, target.fragment(cond, directives).selset, path)
        else:
            for type_name in shared:
                self.visit(
                    ctx, type_name, body, target.fragment(type_name, directives).selset, path
                )

    def _ruled_out(self, ctx: Ctx, parent: str, cond: str) -> bool:
        """Whether another subgraph that resolves this position proves no ``cond`` is here.

        The position is reached by the fields of ``ctx.chain`` from the anchor (the root,
        or an entity other subgraphs can resolve by key). A field several subgraphs resolve
        is shareable: each returns the same data. So when one of them could answer the
        whole chain and cannot return an object of ``cond`` at its end, no such object is
        there, even if the subgraph fetching it declares some (Apollo drops the fragment
        for the same reason).
        """
        anchor, chain = ctx.anchor, ctx.chain
        if anchor is None or not chain:
            return False
        catalog = self.catalog
        wanted = set(catalog.possible_types(cond, None))
        wanted.intersection_update(catalog.possible_types(parent, None))
        last_parent, last_field = chain[-1]
        last_name = last_field.name.value
        for graph in sorted(catalog.all_graphs - {ctx.group.graph}):
            if anchor.ctx is not None and not catalog.resolvable_keys(anchor.type_name, graph):
                continue
            if not all(graph in catalog.field_graphs(t, f.name.value) for t, f in chain):
                continue
            returned = catalog.subgraph_type(
                last_parent, last_name, graph
            ) or catalog.field_type_name(last_parent, last_name)
            if returned is None or catalog.is_interface_object(returned, graph):
                continue
            if wanted.isdisjoint(catalog.possible_types(returned, graph)):
                return True
        return False

    def _anchored(self, ctx: Ctx, type_name: str, path: tuple[str, ...], target: SelSet) -> Ctx:
        """An entity reached through a type condition can be fetched again from itself."""
        if not self.catalog.any_keys(type_name):
            return ctx
        anchor = Anchor(type_name, path, ctx, target, ctx.anchor, ctx.chain, ctx.typed)
        return ctx.extra(anchor=anchor, chain=())

    # -- fields ----------------------------------------------------------------------

    def _provided(self, ctx: Ctx, parent: str, name: str) -> Provided | None:
        if ctx.provided is None:
            return None
        for cond in ("", parent):
            found = ctx.provided.get(cond, {}).get(name)
            if found is not None:
                return found
        return None

    def _is_local(self, ctx: Ctx, parent: str, name: str) -> bool:
        graph = ctx.group.graph
        if self._provided(ctx, parent, name) is not None:
            return True
        if ctx.entity_root and self.catalog.external_key(parent, name, graph):
            return True
        return graph in self.catalog.field_graphs(parent, name) and not self.catalog.requires(
            parent, name, graph
        )

    def _local_on_abstract(self, ctx: Ctx, parent: str, name: str) -> bool:
        if self.catalog.field_def(parent, name) is None or not self._is_local(ctx, parent, name):
            return False
        types = self.catalog.possible_types(parent, ctx.group.graph)
        return all(self._is_local(ctx, t, name) for t in types)

    def _visit_field(
        self,
        ctx: Ctx,
        parent: str,
        node: FieldNode,
        directives: tuple[DirectiveNode, ...],
        target: SelSet,
        path: tuple[str, ...],
    ) -> None:
        name = node.name.value
        catalog, graph = self.catalog, ctx.group.graph
        if name == "__typename":
            if catalog.is_abstract(parent) and catalog.is_interface_object(parent, graph):
                ctx, target = self._jump_to_real_interface(ctx, parent, target, path)
            alias = node.alias.value if node.alias else None
            target.field("__typename", alias, (), directives)
            self._touch(ctx.group)
            return
        if name.startswith("__"):
            return
        if catalog.is_abstract(parent):
            if self._local_on_abstract(ctx, parent, name):
                self._add_local(ctx, parent, node, directives, target, path)
                return
            types = catalog.possible_types(parent, graph)
            if not types:
                self._remote(ctx, parent, node, directives, target, path)
                return
            for type_name in types:
                inner = target.fragment(type_name).selset
                typed_ctx = self._anchored(ctx, type_name, path, inner)
                self._visit_field(typed_ctx, type_name, node, directives, inner, path)
            return
        if self._is_local(ctx, parent, name):
            self._add_local(ctx, parent, node, directives, target, path)
        else:
            self._remote(ctx, parent, node, directives, target, path)

    def _already_fetched(
        self,
        ctx: Ctx,
        parent: str,
        node: FieldNode,
        directives: tuple[DirectiveNode, ...],
        path: tuple[str, ...],
    ) -> bool:
        """A leaf another fetch already brings for these objects needs no new jump."""
        if node.selection_set is not None or directives:
            return False
        key = node.alias.value if node.alias else node.name.value
        signature = SelField(node.name.value, None, tuple(node.arguments)).signature()
        for scope, seen, group_id, conditions in self._leaves.get((ctx.typed, key), ()):
            if (
                seen == signature
                and all(c in ctx.conditions for c in conditions)
                and (scope == parent or parent in self.catalog.possible_types(scope, None))
            ):
                self._touch(self.groups[group_id])
                return True
        return False

    def _add_local(
        self,
        ctx: Ctx,
        parent: str,
        node: FieldNode,
        directives: tuple[DirectiveNode, ...],
        target: SelSet,
        path: tuple[str, ...],
    ) -> None:
        name = node.name.value
        definition = self.catalog.field_def(parent, name)
        if definition is None:
            raise PlanningError(f"{parent} has no field {name!r}")
        return_type = self.catalog.field_type_name(parent, name) or ""
        composite = self.catalog.is_composite(return_type)
        alias = node.alias.value if node.alias else None
        selected = target.field(name, alias, tuple(node.arguments), directives, composite)
        if not composite and not directives:
            # an entity fetch only reaches the objects it was given representations of
            scope = parent
            if ctx.objects is not None and self.catalog.is_abstract(parent):
                scope = ctx.objects
            leaf = (scope, selected.signature(), ctx.group.id, ctx.conditions)
            self._leaves.setdefault((ctx.typed, selected.response_key), []).append(leaf)
        if selected.type_key is None:
            join = self.catalog.join(parent, name, ctx.group.graph)
            declared = join.type if join is not None and join.type else None
            type_key = declared or str(definition.type)
            if composite:
                # only leaves must agree on their type; objects agree on list/null shape
                type_key = type_key.replace(type_key.strip("[]!"), "_")
            selected.type_key = type_key
        self._touch(ctx.group)
        if not composite or node.selection_set is None or selected.selset is None:
            return
        provided = self._provided(ctx, parent, name)
        if provided is None:
            provided = provided_from(self.catalog.provides(parent, name, ctx.group.graph))
        child_path = path + (alias or name,) + ("@",) * list_depth(definition.type)
        # A subgraph may declare a narrower type than the supergraph (an object where the
        # supergraph has a union): what it can return is what decides the fragments.
        return_type = self.catalog.subgraph_type(parent, name, ctx.group.graph) or return_type
        if self.catalog.is_abstract(return_type):
            # Type conditions are decided on the data's __typename, after the fetch.
            selected.selset.field("__typename")
        if self.catalog.any_keys(return_type):
            anchor: Anchor | None = Anchor(
                return_type,
                child_path,
                ctx,
                selected.selset,
                ctx.anchor,
                (*ctx.chain, (parent, node)),
                (*ctx.typed, f"{parent}.{alias or name}"),
            )
            chain: tuple[tuple[str, FieldNode], ...] = ()
        else:
            anchor, chain = ctx.anchor, (*ctx.chain, (parent, node))
        child_ctx = ctx.extra(
            provided=provided,
            anchor=anchor,
            chain=chain,
            entity_root=False,
            objects=None,
            typed=(*ctx.typed, f"{parent}.{alias or name}"),
        )
        self.visit(child_ctx, return_type, node.selection_set, selected.selset, child_path)
