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

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

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
    return {name: value.strip('"') for name, value in d.args}


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
        self.provided = self._read_provides()
        self.problems = _Problems()
        graph_enum = self.types.get("join__Graph")
        self.graph_names = {
            v.name: _args(d)["name"]
            for v in (graph_enum.values if graph_enum else [])
            for d in v.directives
            if d.name == "join__graph"
        }

    def _read_provides(self) -> dict[State, set[str]]:
        provided: dict[State, set[str]] = {}
        for t in self.types.values():
            for f in t.fields:
                for d in f.directives:
                    args = _args(d)
                    if d.name == "join__field" and "provides" in args:
                        self._mark(_named(f.type), args["graph"], args["provides"], provided)
        return provided

    def _mark(self, name: str, graph: str, fields: str, out: dict[State, set[str]]) -> None:
        try:
            selection = parse_field_set(fields.replace('\\"', '"'))
        except FieldSetError:
            return
        self._mark_selection(name, graph, selection, out)

    def _mark_selection(
        self, name: str, graph: str, selection: SelectionSetNode, out: dict[State, set[str]]
    ) -> None:
        targets = [name, *(o.name for o in self.types.values() if name in o.interfaces)]
        for node in selection.selections:
            if isinstance(node, InlineFragmentNode) and node.type_condition is not None:
                self._mark_selection(node.type_condition.name.value, graph, node.selection_set, out)
            elif isinstance(node, FieldNode):
                for target in targets:
                    out.setdefault((target, graph), set()).add(node.name.value)
                owner = self.types.get(name)
                sub = owner.field(node.name.value) if owner else None
                if node.selection_set is not None and sub is not None:
                    self._mark_selection(_named(sub.type), graph, node.selection_set, out)

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

    def available(self, name: str, graph: str) -> set[str]:
        """Fields of ``name`` a subgraph can hand over: those it resolves, those some
        ``@provides`` of it names, and the fields of its own keys."""
        t = self.types[name]
        out = {f.name for f in t.fields if graph in self.resolvers(t, f)}
        out |= self.provided.get((name, graph), set())
        for fields, _ in self.joins[name].keys.get(graph, []):
            out.update(fields)
        return out

    def closure(self, name: str, graphs: set[str]) -> set[State]:
        """Everywhere key jumps lead from ``name`` in ``graphs`` (interface objects
        included); key fields may be gathered from several subgraphs, as a plan can."""
        seen: set[State] = {(name, g) for g in graphs}
        t = self.types[name]
        changed = True
        while changed:
            changed = False
            gathered: set[str] = set()
            for current, graph in seen:
                if current == name:
                    gathered |= self.available(name, graph)
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
        # A node is a type at a query path plus every subgraph the path can be in there.
        start: dict[tuple[str, frozenset[str]], str] = {}
        for root in self.roots:
            t = self.types[root]
            for f in t.fields:
                if not _hidden(f):
                    graphs = self.resolvers(t, f) - {"*"}
                    self._check_shared(t, f, graphs, f"{root}.{f.name}")
                    self._follow(t, f, graphs, f"{root}.{f.name}", start)
        seen = dict(start)
        queue = deque(start)
        problems = self.problems
        while queue:
            node = queue.popleft()
            name, at = node
            path = seen[node]
            t = self.types[name]
            states = self.closure(name, set(at))
            for f in t.fields:
                if _hidden(f):
                    continue
                resolvers = self.resolvers(t, f)
                here = {g for n, g in states if n == name and g in resolvers}
                via_interface = {
                    g
                    for n, g in states
                    if n != name
                    and (iface := self.types[n].field(f.name)) is not None
                    and g in self.resolvers(self.types[n], iface)
                }
                if not here and not via_interface:
                    coord = f"{name}.{f.name}"
                    where = sorted(self.graph_names.get(g, g) for _, g in states)
                    problems.setdefault(
                        coord,
                        "SATISFIABILITY_ERROR",
                        "The following supergraph API query:\n"
                        + _query(f"{path}.{f.name}")
                        + "\ncannot be satisfied by the subgraphs because: from "
                        + ("subgraph " if len(where) == 1 else "subgraphs ")
                        + ", ".join(f'"{n}"' for n in where)
                        + f', no subgraph reachable with @key resolves field "{coord}".',
                    )
                    continue
                nxt: dict[tuple[str, frozenset[str]], str] = {}
                self._check_shared(t, f, here, f"{path}.{f.name}")
                self._follow(t, f, here, f"{path}.{f.name}", nxt)
                for key, label in nxt.items():
                    if key not in seen:
                        seen[key] = label
                        queue.append(key)
        return list(problems.values())

    def _check_shared(self, t: GType, f: GField, graphs: set[str], path: str) -> None:
        """A field several subgraphs resolve must be able to return a common runtime type."""
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
        parent: GType,
        f: GField,
        graphs: set[str],
        path: str,
        out: dict[tuple[str, frozenset[str]], str],
    ) -> None:
        result = _named(f.type)
        if result in self.roots or result not in self.types or _hidden(self.types[result]):
            return
        by_type: dict[str, set[str]] = {}
        for graph in graphs:
            for possible in self.possible_types(self.type_in(f, graph), graph):
                by_type.setdefault(possible, set()).add(graph)
        for possible, where in by_type.items():
            if not _hidden(self.types[possible]):
                label = path if possible == result else f"{path}<{possible}>"
                out.setdefault((possible, frozenset(where)), label)


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
