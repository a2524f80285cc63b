"""A simplified satisfiability check of the composed supergraph: every field a client
can select must be resolvable by some subgraph wherever the query can reach its type.

Phases: read the join directives back (which graphs define each type and its keys,
which graphs resolve each field); walk the states "at type T in subgraph G" from every
root, following fields G resolves and key jumps to other subgraphs (key fields resolvable
in G, key resolvable in the target), including jumps to ``@interfaceObject`` subgraphs;
at each object-type state, report each field no reachable subgraph resolves.

Simplifications, all on the lenient side (never refusing what Apollo accepts as far as
its checks were compared): ``@requires`` conditions are assumed satisfiable, ``@provides``
is ignored (the owner is reached by key), only top-level key fields are checked, and
interface fields are checked through their implementations only.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

from graphql import (
    FieldNode,
    InlineFragmentNode,
    SelectionSetNode,
    StringValueNode,
    parse_value,
    print_ast,
)

from .fieldset import FieldSetError, parse_field_set
from .supergraph import GDirective, GField, GType, Supergraph

__all__ = ["unsatisfiable_fields"]

State = tuple[str, str]  # (type name, graph enum value)


@dataclass
class _TypeJoin:
    graphs: list[str] = field(default_factory=list)
    keys: dict[str, list[tuple[list[str], bool]]] = field(default_factory=dict)
    interface_object: set[str] = field(default_factory=set)


def unsatisfiable_fields(supergraph: Supergraph) -> list[tuple[str, str]]:
    """(code, message) per field that some reachable query path cannot resolve, or whose
    subgraphs could return no common runtime type."""
    return _Walk(supergraph).run()


def _args(d: GDirective) -> dict[str, str]:
    return {name: _unquote(value) for name, value in d.args}


@lru_cache(maxsize=4096)
def _unquote(printed: str) -> str:
    """A printed argument as text: strings decoded (escapes included), the rest as is."""
    if not printed.startswith('"'):
        return printed
    node = parse_value(printed)
    return node.value if isinstance(node, StringValueNode) else printed


def _named(ref: str) -> str:
    return ref.replace("[", "").replace("]", "").replace("!", "")


def _hidden(element: GType | GField) -> bool:
    return any(d.name == "inaccessible" for d in element.directives)


class _Walk:
    def __init__(self, supergraph: Supergraph) -> None:
        self.types = supergraph.types
        self.roots = list(supergraph.roots.values())
        self.joins: dict[str, _TypeJoin] = {}
        for t in self.types.values():
            join = self.joins[t.name] = _TypeJoin()
            for d in t.directives:
                if d.name != "join__type":
                    continue
                args = _args(d)
                graph = args["graph"]
                if graph not in join.graphs:
                    join.graphs.append(graph)
                if args.get("isInterfaceObject") == "true":
                    join.interface_object.add(graph)
                if "key" in args:
                    join.keys.setdefault(graph, []).append(
                        (_top_level(args["key"]), args.get("resolvable") != "false")
                    )
        self.problems = _Problems()
        graph_enum = self.types.get("join__Graph")
        self.graph_names = {
            v.name: _args(d)["name"]
            for v in (graph_enum.values if graph_enum else [])
            for d in v.directives
            if d.name == "join__graph"
        }

    def resolvers(self, t: GType, f: GField) -> set[str]:
        """Graphs that resolve ``t.f``; ``"*"`` marks a field reached via an interface object."""
        joins = [d for d in f.directives if d.name == "join__field"]
        if not joins:
            return set(self.joins[t.name].graphs)
        out: set[str] = set()
        for d in joins:
            args = _args(d)
            if "graph" not in args:
                out.add("*")
            elif args.get("external") != "true" and args.get("usedOverridden") != "true":
                out.add(args["graph"])
        return out

    def type_in(self, f: GField, graph: str) -> str:
        """The field's named type in one subgraph (``@join__field(type:)`` when they differ)."""
        for d in f.directives:
            args = _args(d)
            if d.name == "join__field" and args.get("graph") == graph and "type" in args:
                return _named(args["type"])
        return _named(f.type)

    def possible_types(self, name: str, graph: str) -> list[str]:
        t = self.types.get(name)
        if t is None or t.kind not in ("object", "interface", "union"):
            return []
        if t.kind == "object" or graph in self.joins[name].interface_object:
            return [name]
        if t.kind == "union":
            return [
                _args(d)["member"]
                for d in t.directives
                if d.name == "join__unionMember" and _args(d)["graph"] == graph
            ]
        return [
            o.name
            for o in self.types.values()
            if any(
                d.name == "join__implements"
                and _args(d)["graph"] == graph
                and _args(d)["interface"] == name
                for d in o.directives
            )
        ]

    def available(self, name: str, graph: str, provided: set[str]) -> set[str]:
        """Fields of ``name`` a subgraph can hand over at a node: those it resolves and
        those ``@provides`` gave this path."""
        t = self.types[name]
        return {f.name for f in t.fields if graph in self.resolvers(t, f)} | provided

    def closure(self, node: _Node) -> set[State]:
        """Everywhere key jumps lead from the node (interface objects included); key
        fields may be gathered from several subgraphs, as a plan can."""
        name = node.type
        seen: set[State] = {(name, g) for g in node.graphs}
        t = self.types[name]
        changed = True
        while changed:
            changed = False
            gathered: set[str] = set()
            for current, graph in seen:
                if current == name:
                    gathered |= self.available(name, graph, node.provided_here(graph, t))
            for target in [name, *t.interfaces]:
                join = self.joins.get(target)
                if join is None or (target != name and not join.interface_object):
                    continue
                for other, keys in join.keys.items():
                    if target != name and other not in join.interface_object:
                        continue
                    if (target, other) not in seen and any(
                        ok and set(fields) <= gathered for fields, ok in keys
                    ):
                        seen.add((target, other))
                        changed = True
        return seen

    def run(self) -> list[tuple[str, str]]:
        # A node is a type at a query path, every subgraph the path can be in there, and
        # what @provides along the path gave each of them.
        seen: dict[_Node, str] = {}
        for root in self.roots:
            t = self.types[root]
            for f in t.fields:
                if not _hidden(f):
                    graphs = self.resolvers(t, f) - {"*"}
                    self._check_shared(t, f, graphs, f"{root}.{f.name}")
                    root_node = _Node(root, frozenset(graphs))
                    self._follow(root_node, t, f, graphs, f"{root}.{f.name}", seen)
        queue = deque(seen)
        while queue:
            node = queue.popleft()
            path = seen[node]
            t = self.types[node.type]
            states = self.closure(node)
            for f in t.fields:
                if _hidden(f):
                    continue
                resolvers = self.resolvers(t, f)
                here = {
                    g
                    for n, g in states
                    if n == node.type
                    and (g in resolvers or f.name in node.provided_here(g, t))
                    and self._requires_met(t, f, g, states)
                }
                via_interface = {
                    g
                    for n, g in states
                    if n != node.type
                    and (iface := self.types[n].field(f.name)) is not None
                    and g in self.resolvers(self.types[n], iface)
                }
                if not here and not via_interface:
                    self._unsatisfiable(node.type, f.name, states, f"{path}.{f.name}")
                    continue
                before = len(seen)
                self._follow(node, t, f, here, f"{path}.{f.name}", seen)
                queue.extend(list(seen)[before:])
        return self.problems.values()

    def _requires_met(self, t: GType, f: GField, graph: str, states: set[State]) -> bool:
        """A @requires is met when every field it names can be read from a subgraph the
        requiring one reaches by key (nested selections are not followed: lenient)."""
        for d in f.directives:
            args = _args(d)
            if d.name != "join__field" or args.get("graph") != graph or "requires" not in args:
                continue
            # The plan fetches the conditions starting from the requiring subgraph itself.
            from_here = self.closure(_Node(t.name, frozenset({graph})))
            for name in _top_level(args["requires"]):
                required = t.field(name)
                if required is None:
                    continue
                resolvers = self.resolvers(t, required)
                if not any(n == t.name and g in resolvers for n, g in from_here):
                    return False
        return True

    def _unsatisfiable(self, name: str, field_name: str, states: set[State], path: str) -> None:
        coord = f"{name}.{field_name}"
        where = sorted(self.graph_names.get(g, g) for _, g in states)
        self.problems.setdefault(
            coord,
            "SATISFIABILITY_ERROR",
            "The following supergraph API query:\n"
            + _query(path)
            + "\ncannot be satisfied by the subgraphs because: from "
            + ("subgraph " if len(where) == 1 else "subgraphs ")
            + ", ".join(f'"{n}"' for n in where)
            + f', no subgraph reachable with @key resolves field "{coord}".',
        )

    def _check_shared(self, t: GType, f: GField, graphs: set[str], path: str) -> None:
        """A root field several subgraphs resolve must be able to return a common runtime
        type. (Deeper shared fields are not checked: Apollo's rule there depends on how its
        planner collapses options, and a false refusal is worse than a missed one.)"""
        result = self.types.get(_named(f.type))
        if len(graphs) < 2 or result is None or result.kind not in ("interface", "union"):
            return
        runtime = {g: self.possible_types(self.type_in(f, g), g) for g in sorted(graphs)}
        common = set.intersection(*(set(types) for types in runtime.values()))
        if common:
            return
        lines = []
        for g, types in runtime.items():
            name = self.graph_names.get(g, g)
            if not types:
                lines.append(f' - in subgraph "{name}", no runtime type is defined')
            else:
                listed = ", ".join(f'"{x}"' for x in types)
                lines.append(
                    f' - in subgraph "{name}", type{"s" if len(types) > 1 else ""} {listed}'
                )
        self.problems.setdefault(
            f"{t.name}.{f.name}",
            "SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES",
            "For the following supergraph API query:\n"
            + _query(path)
            + f'\nShared field "{t.name}.{f.name}" return type "{result.name}" has a '
            "non-intersecting set of possible runtime types across subgraphs. Runtime types "
            "in subgraphs are:\n" + ";\n".join(lines) + ".",
        )

    def _follow(
        self,
        node: _Node,
        parent: GType,
        f: GField,
        graphs: set[str],
        path: str,
        out: dict[_Node, str],
    ) -> None:
        result = _named(f.type)
        if result in self.roots or result not in self.types or _hidden(self.types[result]):
            return
        by_type: dict[str, set[str]] = {}
        for graph in graphs:
            for possible in self.possible_types(self.type_in(f, graph), graph):
                by_type.setdefault(possible, set()).add(graph)
        for possible, where in by_type.items():
            if _hidden(self.types[possible]):
                continue
            label = path if possible == result else f"{path}<{possible}>"
            provided = tuple(
                sorted(
                    (g, sel)
                    for g in where
                    if (sel := self._provided_below(node, parent, f, g)) is not None
                )
            )
            child = _Node(possible, frozenset(where), provided)
            if child not in out:
                out[child] = label
                if self.types[possible].kind == "interface":
                    self._check_interface_object(child, label)

    def _provided_below(self, node: _Node, parent: GType, f: GField, graph: str) -> str | None:
        """What the path may read in ``graph`` below ``f``: its own @provides, or what an
        enclosing @provides selected under it."""
        parts: list[str] = []
        for d in f.directives:
            args = _args(d)
            if d.name == "join__field" and args.get("graph") == graph and "provides" in args:
                parts.append(args["provides"])
        for selection in node.selections(graph, parent, self.types):
            if selection.name.value == f.name and selection.selection_set is not None:
                parts.append(print_ast(selection.selection_set)[1:-1])
        return " ".join(parts) if parts else None

    def _check_interface_object(self, node: _Node, path: str) -> None:
        """At an @interfaceObject the concrete type is unknown: some subgraph that knows
        the implementations must be reachable by key."""
        join = self.joins[node.type]
        if not any(node.type in t.interfaces for t in self.types.values()):
            return
        for graph in node.graphs:
            if graph not in join.interface_object:
                continue
            here = self.available(
                node.type, graph, node.provided_here(graph, self.types[node.type])
            )
            reachable = any(
                other not in join.interface_object
                and any(ok and set(fields) <= here for fields, ok in keys)
                for other, keys in join.keys.items()
            )
            if not reachable:
                self.problems.setdefault(
                    f"{node.type}.__typename",
                    "SATISFIABILITY_ERROR",
                    "The following supergraph API query:\n"
                    + _query(path)
                    + f"\ncannot be satisfied by the subgraphs because: from subgraph "
                    f'"{self.graph_names.get(graph, graph)}": no subgraph can be reached to '
                    f'resolve the implementation type of @interfaceObject type "{node.type}".',
                )


@dataclass(frozen=True)
class _Node:
    type: str
    graphs: frozenset[str]
    provided: tuple[tuple[str, str], ...] = ()  # (graph, field set the path may read)

    def selections(self, graph: str, t: GType, types: dict[str, GType]) -> list[FieldNode]:
        """Top-level fields a @provides lets this path read on ``t`` in ``graph``."""
        out: list[FieldNode] = []
        for g, text in self.provided:
            if g == graph:
                out += _fields_on(_parse(text), t, types)
        return out

    def provided_here(self, graph: str, t: GType) -> set[str]:
        return {
            s.name.value
            for g, text in self.provided
            if g == graph
            for s in _fields_on(_parse(text), t, None)
        }


@lru_cache(maxsize=1024)
def _parse(text: str) -> SelectionSetNode | None:
    try:
        return parse_field_set(text)
    except FieldSetError:
        return None


def _fields_on(
    selection: SelectionSetNode | None, t: GType, types: dict[str, GType] | None
) -> list[FieldNode]:
    if selection is None:
        return []
    out: list[FieldNode] = []
    for s in selection.selections:
        if isinstance(s, FieldNode):
            out.append(s)
        elif isinstance(s, InlineFragmentNode):
            condition = s.type_condition.name.value if s.type_condition else t.name
            if condition == t.name or condition in t.interfaces:
                out += _fields_on(s.selection_set, t, types)
    return out


class _Problems:
    """First problem per field coordinate, in the order found."""

    def __init__(self) -> None:
        self._by_coord: dict[str, tuple[str, str]] = {}

    def __contains__(self, coord: str) -> bool:
        return coord in self._by_coord

    def setdefault(self, coord: str, code: str, message: str) -> None:
        self._by_coord.setdefault(coord, (code, message))

    def values(self) -> list[tuple[str, str]]:
        return list(self._by_coord.values())


def _query(path: str) -> str:
    """``Query.t<Book>.title`` as the operation a client would send."""
    root, *steps = path.split(".")
    lines = ["{" if root == "Query" else f"{root.lower()} {{"]
    closers: list[str] = []
    for i, step in enumerate(steps):
        indent = "  " * (len(closers) + 1)
        name, _, fragment = step.partition("<")
        last = i == len(steps) - 1
        lines.append(indent + name + ("" if last else " {"))
        if not last:
            closers.append(indent + "}")
        if fragment:
            inner = "  " * (len(closers) + 1)
            lines.append(f"{inner}... on {fragment.rstrip('>')} {{")
            closers.append(inner + "}")
    lines += reversed(closers)
    lines.append("}")
    return "\n".join(lines)


def _top_level(key: str) -> list[str]:
    try:
        selection = parse_field_set(key)
    except FieldSetError:
        return []
    return [s.name.value for s in selection.selections if isinstance(s, FieldNode)]
