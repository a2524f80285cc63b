"""Walk an operation over the subgraphs, filling fetch groups (the planner's core).

The walk keeps a *current group* (the subgraph request that produced the object being
visited). A field the current subgraph resolves is added to it; any other field makes
an *entity jump*: the current group also fetches ``__typename`` and a key (and any
``@requires`` fields, planned the same way, so they may come from further jumps) and a
dependent ``_entities`` group in a subgraph that resolves the field continues the walk.
Abstract types are kept as they are when every possible type in the subgraph resolves
the field there; otherwise the selection is split per possible object type.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
)

from gateway.errors import PlanningError
from gateway.planner.catalog import Catalog
from gateway.planner.fieldsets import alias_arguments, copy_field_set
from gateway.planner.groups import Anchor, Condition, Ctx, Group, Provided, provided_from
from gateway.planner.nodes import KeyRenamer, ValueSetter
from gateway.planner.selections import SelSet

__all__ = ["Walker"]

_MAX_DEPTH = 64


def _common(a: tuple[Condition, ...], b: tuple[Condition, ...]) -> tuple[Condition, ...]:
    return tuple(c for c in a if c in b)


def _list_depth(gtype: GraphQLOutputType) -> int:
    depth = 0
    current: object = gtype
    while isinstance(current, GraphQLNonNull | GraphQLList):
        if isinstance(current, GraphQLList):
            depth += 1
        current = current.of_type
    return depth


class Walker:
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

    def walk_root(self, kind: str, root_type: str, selection_set: SelectionSetNode) -> None:
        typenames: list[tuple[FieldNode, tuple[DirectiveNode, ...]]] = []
        for node, directives, conditions in self._root_fields(selection_set, (), ()):
            name = node.name.value
            if name == "__typename":
                typenames.append((node, directives))
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
            self._add_local(root_ctx, root_type, node, directives, group.selset, ())
        if typenames and self.root_groups:
            for node, directives in typenames:
                alias = node.alias.value if node.alias else None
                self.root_groups[0].selset.field("__typename", alias, (), directives)

    def _root_fields(
        self,
        selection_set: SelectionSetNode,
        directives: tuple[DirectiveNode, ...],
        conditions: tuple[Condition, ...],
    ) -> Iterator[tuple[FieldNode, tuple[DirectiveNode, ...], tuple[Condition, ...]]]:
        for selection in selection_set.selections:
            folded = self._directives(selection)
            if folded is None:
                continue
            kept, conds = folded
            if isinstance(selection, FieldNode):
                yield selection, directives + kept, conditions + conds
            else:
                sub = self._fragment_body(selection)[1]
                yield from self._root_fields(sub, directives + kept, conditions + conds)

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
                self._missing(
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

    def _anchored(self, ctx: Ctx, type_name: str, path: tuple[str, ...], target: SelSet) -> Ctx:
        """An entity reached through a type condition can be fetched again from itself."""
        if not self.catalog.any_keys(type_name):
            return ctx
        anchor = Anchor(type_name, path, ctx, target, ctx.anchor, ctx.chain)
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
        child_path = path + (alias or name,) + ("@",) * _list_depth(definition.type)
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
            )
            chain: tuple[tuple[str, FieldNode], ...] = ()
        else:
            anchor, chain = ctx.anchor, (*ctx.chain, (parent, node))
        child_ctx = ctx.extra(provided=provided, anchor=anchor, chain=chain, entity_root=False)
        self.visit(child_ctx, return_type, node.selection_set, selected.selset, child_path)

    # -- entity jumps ----------------------------------------------------------------

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
            return self._missing(graph, sel_type, node, 4) + extra, 0 if reusable else 1

        graph, sel_type = min(options, key=cost)
        requires = self.catalog.requires(sel_type, name, graph)
        child_ctx, child_target = self._jump(ctx, parent, graph, sel_type, target, path, requires)
        self._add_local(child_ctx, sel_type, node, directives, child_target, path)

    def _jump_to_real_interface(
        self, ctx: Ctx, interface: str, target: SelSet, path: tuple[str, ...]
    ) -> tuple[Ctx, SelSet]:
        for graph in sorted(self.catalog.type_graphs(interface)):
            if not self.catalog.is_interface_object(
                interface, graph
            ) and self.catalog.resolvable_keys(interface, graph):
                child_ctx, child_target = self._jump(
                    ctx, interface, graph, interface, target, path, None
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
    ) -> tuple[Ctx, SelSet]:
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
        child_target = child.selset.fragment(sel_type).selset
        child_ctx = ctx.with_group(child).extra(entity_root=True)
        if ctx.anchor is not None and ctx.anchor.path == path and not ctx.chain:
            # Re-fetching from here is best started where the object was first fetched.
            return child_ctx.extra(anchor=ctx.anchor), child_target
        anchor = Anchor(sel_type, path, child_ctx, child_target, ctx.anchor, ctx.chain)
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
        # Across an abstract type, another subgraph may return other objects for the
        # same field: merging them would mix two answers, so only value types qualify.
        if any(
            catalog.is_abstract(catalog.field_type_name(t, f.name.value) or "") for t, f in chain
        ):
            return False
        if (
            anchor.ctx is None
            and chain
            and catalog.is_abstract(
                catalog.field_type_name(chain[0][0], chain[0][1].name.value) or ""
            )
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
        graph = min(candidates, key=lambda g: self._missing(g, parent, node, 4))
        if anchor.ctx is None:
            group = self._root_group("query", graph, ctx.conditions)
            here = Ctx(group, None, ctx.conditions, ctx.depth + 1, Anchor(anchor.type_name, ()))
            target, path = group.selset, anchor.path
        else:
            assert anchor.target is not None
            here, target = self._jump(
                anchor.ctx,
                anchor.type_name,
                graph,
                anchor.type_name,
                anchor.target,
                anchor.path,
                None,
            )
            path = anchor.path
        current = anchor.type_name
        for step_parent, step in chain:
            if step_parent != current:
                target = target.fragment(step_parent).selset
            definition = catalog.field_def(step_parent, step.name.value)
            assert definition is not None
            alias = step.alias.value if step.alias else None
            selected = target.field(step.name.value, alias, tuple(step.arguments), (), True)
            assert selected.selset is not None
            target = selected.selset
            path = path + (alias or step.name.value,) + ("@",) * _list_depth(definition.type)
            current = catalog.field_type_name(step_parent, step.name.value) or current
        if parent != current:
            target = target.fragment(parent).selset
        self._touch(here.group)
        self._add_local(here.extra(chain=tuple(steps[:-1])), parent, node, directives, target, path)
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

    # -- cost ------------------------------------------------------------------------

    def _missing(
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
                total += self._size(self._fragment_body(selection)[1])
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
                count += self._missing(graph, parent, selection, depth - 1, provided)
            else:
                cond, body = self._fragment_body(selection)
                count += self._missing_in(graph, cond or parent, body, depth, provided)
        return count
