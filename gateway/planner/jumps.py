"""Entity jumps: leaving one subgraph for another through a key, and re-fetching value
types from the nearest entity or root (the ``Walker``'s second half)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import DirectiveNode, FieldNode, InlineFragmentNode, SelectionSetNode

from gateway.errors import PlanningError
from gateway.planner.catalog import Catalog
from gateway.planner.cost import CostModel
from gateway.planner.fieldsets import alias_arguments, copy_field_set
from gateway.planner.groups import Anchor, Condition, Ctx, Group
from gateway.planner.nodes import KeyRenamer, ValueSetter
from gateway.planner.selections import SelSet, directive_conditions
from gateway.planner.wrappers import list_depth

__all__ = ["EntityJumps"]

_MAX_DEPTH = 64


def _conditions(directives: tuple[DirectiveNode, ...]) -> tuple[Condition, ...]:
    """The conditions of a field's own (kept: variable @include/@skip) directives."""
    return directive_conditions(directives) or ()


def _without(
    conditions: tuple[Condition, ...], own: tuple[Condition, ...]
) -> tuple[Condition, ...]:
    """``conditions`` less one occurrence of each of ``own`` (the field states those)."""
    rest = list(conditions)
    for condition in own:
        if condition in rest:
            rest.remove(condition)
    return tuple(rest)


class EntityJumps:
    """Mixin of ``Walker``: entity jumps between subgraphs, using the walker's methods."""

    catalog: Catalog
    cost: CostModel
    groups: list[Group]
    taken: frozenset[str]
    _aliases: dict[str, str]
    _collectors: list[set[int]]

    if TYPE_CHECKING:  # the walker's methods, which this mixin calls

        def visit(
            self,
            ctx: Ctx,
            parent: str,
            selection_set: SelectionSetNode,
            target: SelSet,
            path: tuple[str, ...],
        ) -> None: ...

        def _add_local(
            self,
            ctx: Ctx,
            parent: str,
            node: FieldNode,
            directives: tuple[DirectiveNode, ...],
            target: SelSet,
            path: tuple[str, ...],
        ) -> None: ...

        def _is_local(self, ctx: Ctx, parent: str, name: str) -> bool: ...

        def _touch(self, group: Group) -> None: ...

        def _child_group(
            self,
            ctx: Ctx,
            graph: str,
            path: tuple[str, ...],
            producers: set[int],
            signatures: dict[tuple[str, ...], str],
        ) -> Group: ...

        def _root_group(
            self, kind: str, graph: str, conditions: tuple[Condition, ...]
        ) -> Group: ...

        def _already_fetched(
            self,
            ctx: Ctx,
            parent: str,
            node: FieldNode,
            directives: tuple[DirectiveNode, ...],
            path: tuple[str, ...],
        ) -> bool: ...

    def _options(self, ctx: Ctx, parent: str, name: str) -> list[tuple[str, str]]:
        """(subgraph, type to select there) pairs that can resolve ``parent.name``."""
        catalog = self.catalog
        out: list[tuple[str, str]] = []
        for graph in sorted(catalog.field_graphs(parent, name)):
            if self._keys_reachable(ctx, parent, graph, name):
                out.append((graph, parent))
        ptype = catalog.schema.get_type(parent)
        for interface in getattr(ptype, "interfaces", ()):
            if name not in interface.fields:
                continue
            for graph in sorted(catalog.interface_object_graphs(interface.name)):
                if graph in catalog.field_graphs(interface.name, name) and catalog.resolvable_keys(
                    interface.name, graph
                ):
                    out.append((graph, interface.name))
        return out

    def _keys_reachable(self, ctx: Ctx, parent: str, graph: str, name: str) -> bool:
        """A key of ``parent`` in ``graph`` can be had without needing ``name`` itself."""
        for key in self.catalog.resolvable_keys(parent, graph):
            if self._available(ctx, parent, key.selection):
                return True
            if not any(
                isinstance(s, FieldNode) and s.name.value == name for s in key.selection.selections
            ):
                return True
        return False

    def _remote(
        self,
        ctx: Ctx,
        parent: str,
        node: FieldNode,
        directives: tuple[DirectiveNode, ...],
        target: SelSet,
        path: tuple[str, ...],
    ) -> None:
        name = node.name.value
        if self._already_fetched(ctx, parent, node, directives, path):
            return
        options = self._options(ctx, parent, name)
        if not options and self._reroute(ctx, parent, node, directives):
            return
        if not options:
            raise PlanningError(
                f"cannot plan {parent}.{name}: no subgraph that resolves it can be reached "
                f"from subgraph {ctx.group.graph!r} through an entity key"
            )

        def cost(option: tuple[str, str]) -> tuple[int, int]:
            graph, sel_type = option
            extra = 1 if self.catalog.requires(sel_type, name, graph) else 0
            reusable = any(g.is_entity and g.graph == graph and g.path == path for g in self.groups)
            return self.cost.missing(graph, sel_type, node, 4) + extra, 0 if reusable else 1

        graph, sel_type = min(options, key=cost)
        requires = self.catalog.requires(sel_type, name, graph)
        guard = _without(ctx.conditions, _conditions(directives))
        child_ctx, child_target = self._jump(
            ctx, parent, graph, sel_type, target, path, requires, guard
        )
        self._add_local(child_ctx, sel_type, node, directives, child_target, path)

    def _jump_to_real_interface(
        self, ctx: Ctx, interface: str, target: SelSet, path: tuple[str, ...]
    ) -> tuple[Ctx, SelSet]:
        for graph in sorted(self.catalog.type_graphs(interface)):
            if (
                not self.catalog.is_interface_object(interface, graph)
                and self.catalog.resolvable_keys(interface, graph)
                and self.catalog.possible_types(interface, graph)
            ):
                child_ctx, child_target = self._jump(
                    ctx, interface, graph, interface, target, path, None, ctx.conditions
                )
                # The real __typename replaces the interface name the first fetch returned.
                child_target.field("__typename")
                return child_ctx, child_target
        raise PlanningError(f"no subgraph can tell the object type of interface {interface}")

    def _jump(
        self,
        ctx: Ctx,
        parent: str,
        graph: str,
        sel_type: str,
        target: SelSet,
        path: tuple[str, ...],
        requires: SelectionSetNode | None,
        guard: tuple[Condition, ...],
    ) -> tuple[Ctx, SelSet]:
        """Start (or join) an entity fetch of ``graph`` for the objects at ``path``.

        The fetch may be shared with selections under other conditions, so what is added
        through the returned target sits under ``guard`` inside the subgraph operation;
        guards the whole fetch runs under are dropped when the plan is built.
        """
        if ctx.depth > _MAX_DEPTH:
            raise PlanningError(f"cannot plan {parent}: the chain of entity fetches does not end")
        keys = self.catalog.resolvable_keys(sel_type, graph)
        if not keys:
            raise PlanningError(f"{sel_type} has no resolvable key in subgraph {graph!r}")
        key = next((k for k in keys if self._available(ctx, parent, k.selection)), keys[0])
        target.field("__typename")
        producers = {ctx.group.id}
        key_set = alias_arguments(key.selection, self._aliases, self.taken)
        producers |= self._internal(ctx, parent, key_set.selection_set, target, path)
        needed = None
        if requires is not None:
            needed = alias_arguments(requires, self._aliases, self.taken)
        signatures: dict[tuple[str, ...], str] = {}
        if needed is not None:
            producers |= self._internal(ctx, parent, needed.selection_set, target, path)
            signatures = {(parent, *k): v for k, v in needed.signatures.items()}
        child = self._child_group(ctx, graph, path, producers, signatures)
        rep = child.requires.fragment(parent).selset
        rep.field("__typename")
        copy_field_set(key_set.selection_set, rep)
        renames = list(key_set.renames)
        if needed is not None:
            copy_field_set(needed.selection_set, rep)
            renames += needed.renames
        for data_path, alias, name in renames:
            renamer = KeyRenamer((f"... on {parent}", *data_path, alias), name)
            if renamer not in child.input_rewrites:
                child.input_rewrites.append(renamer)
        if sel_type != parent:
            rewrite = ValueSetter((f"... on {parent}", "__typename"), sel_type)
            if rewrite not in child.input_rewrites:
                child.input_rewrites.append(rewrite)
        self._touch(child)
        child_target = child.selset.fragment(sel_type).selset.guarded(guard)
        child_ctx = ctx.with_group(child).extra(entity_root=True, objects=parent)
        if ctx.anchor is not None and ctx.anchor.path == path and not ctx.chain:
            # Re-fetching from here is best started where the object was first fetched.
            return child_ctx.extra(anchor=ctx.anchor), child_target
        anchor = Anchor(sel_type, path, child_ctx, child_target, ctx.anchor, ctx.chain, ctx.typed)
        return child_ctx.extra(anchor=anchor), child_target

    def _reroute(
        self, ctx: Ctx, parent: str, node: FieldNode, directives: tuple[DirectiveNode, ...]
    ) -> bool:
        """Fetch a value-type field again from the nearest anchor, in a subgraph that
        resolves the whole chain of fields from there (shared roots, parent entities)."""
        anchor, chain = ctx.anchor, ctx.chain
        while anchor is not None:
            if self._reroute_from(ctx, anchor, chain, parent, node, directives):
                return True
            chain = (*anchor.outer_chain, *chain)
            anchor = anchor.outer
        return False

    def _reroute_from(
        self,
        ctx: Ctx,
        anchor: Anchor,
        chain: tuple[tuple[str, FieldNode], ...],
        parent: str,
        node: FieldNode,
        directives: tuple[DirectiveNode, ...],
    ) -> bool:
        catalog = self.catalog
        steps = [*chain, (parent, node)]
        # From the root, another subgraph may answer a shared field of an abstract type
        # with other objects: merging two answers would mix them. Below an entity, the
        # subgraphs describe the same object, so the field may be fetched again.
        if anchor.ctx is None and any(
            catalog.is_abstract(catalog.field_type_name(t, f.name.value) or "") for t, f in chain
        ):
            return False
        candidates = []
        for graph in sorted(catalog.all_graphs):
            if (
                graph == ctx.group.graph
                and anchor.ctx is not None
                and anchor.ctx.group is ctx.group
            ):
                continue
            if not all(graph in catalog.field_graphs(t, f.name.value) for t, f in steps):
                continue
            if anchor.ctx is not None and not any(
                self._available(anchor.ctx, anchor.type_name, k.selection)
                for k in catalog.resolvable_keys(anchor.type_name, graph)
            ):
                continue
            candidates.append(graph)
        if not candidates:
            return False
        graph = min(candidates, key=lambda g: self.cost.missing(g, parent, node, 4))
        if anchor.ctx is None:
            group = self._root_group("query", graph, ctx.conditions)
            here = Ctx(group, None, ctx.conditions, ctx.depth + 1, Anchor(anchor.type_name, ()))
            target, path = group.selset, anchor.path
        else:
            assert anchor.target is not None
            # The chain's fields are added without their directives: the guard holds
            # every condition between the anchor and here.
            here, target = self._jump(
                anchor.ctx,
                anchor.type_name,
                graph,
                anchor.type_name,
                anchor.target,
                anchor.path,
                None,
                _without(ctx.conditions, _conditions(directives)),
            )
            path = anchor.path
        current = anchor.type_name
        typed = anchor.typed
        for step_parent, step in chain:
            typed = (*typed, f"{step_parent}.{step.alias.value if step.alias else step.name.value}")
            if step_parent != current:
                target = target.fragment(step_parent).selset
            definition = catalog.field_def(step_parent, step.name.value)
            assert definition is not None
            alias = step.alias.value if step.alias else None
            selected = target.field(step.name.value, alias, tuple(step.arguments), (), True)
            assert selected.selset is not None
            target = selected.selset
            path = path + (alias or step.name.value,) + ("@",) * list_depth(definition.type)
            current = catalog.field_type_name(step_parent, step.name.value) or current
        if parent != current:
            target = target.fragment(parent).selset
        self._touch(here.group)
        here = here.extra(chain=tuple(steps[:-1]), typed=typed)
        self._add_local(here, parent, node, directives, target, path)
        return True

    def _internal(
        self,
        ctx: Ctx,
        parent: str,
        field_set: SelectionSetNode,
        target: SelSet,
        path: tuple[str, ...],
    ) -> set[int]:
        """Plan key or required fields at ``path``; return the groups that produce them."""
        collector: set[int] = set()
        self._collectors.append(collector)
        try:
            self.visit(ctx.extra(depth=ctx.depth + 1), parent, field_set, target, path)
        finally:
            self._collectors.pop()
        return collector

    def _available(self, ctx: Ctx, parent: str, field_set: SelectionSetNode) -> bool:
        for selection in field_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    continue
                if not self._is_local(ctx, parent, name):
                    return False
                if selection.selection_set is not None:
                    child = self.catalog.field_type_name(parent, name) or ""
                    if not self._available(
                        ctx.extra(provided=None), child, selection.selection_set
                    ):
                        return False
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition.name.value if selection.type_condition else parent
                if not self._available(ctx, cond, selection.selection_set):
                    return False
        return True
