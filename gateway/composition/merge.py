"""Merge validated subgraphs into a supergraph.

Phases: kinds (a type is one kind everywhere, an ``@interfaceObject`` standing for an
interface); each type by kind, with its ``@join__type``/``@join__implements``; fields of
interfaces reached through ``@interfaceObject`` copied onto the implementations; the
schema's ``@link``s and the definitions of every directive and type they bring.
"""

from __future__ import annotations

from .applied import merge_applied
from .context import MergeContext, names, pick_description
from .merge_fields import merge_field, quote
from .merge_values import enum_usage, merge_enum, merge_input, merge_scalar, merge_union
from .model import SType, Subgraph, TypeKind
from .specs import (
    JOIN_DEFINITIONS,
    LINK_DEFINITIONS,
    SCALARS_OF_SPEC,
    SECURITY_SPECS,
    Spec,
    join_version,
)
from .supergraph import GDirective, GEnumValue, GField, GType, Supergraph

__all__ = ["merge_subgraphs"]

_LINK_PURPOSE = GType(
    "enum",
    "link__Purpose",
    values=[
        GEnumValue(
            "SECURITY",
            "`SECURITY` features provide metadata necessary to securely resolve fields.",
        ),
        GEnumValue(
            "EXECUTION",
            "`EXECUTION` features provide metadata necessary for operation execution.",
        ),
    ],
)


def merge_subgraphs(ctx: MergeContext) -> Supergraph:
    supergraph = Supergraph()
    usage = enum_usage(ctx)
    for name in _type_order(ctx.subgraphs):
        sources = list(ctx.sources(name))
        if name not in ("Query", "Mutation", "Subscription") and all(
            t.is_extension for _, t in sources
        ):
            for i, _ in sources:
                ctx.error(
                    "EXTENSION_WITH_NO_BASE",
                    f'[{ctx.subgraphs[i].name}] Type "{name}" is an extension type, but there is '
                    f'no type definition for "{name}" in any subgraph.',
                )
            continue
        kind = _merged_kind(ctx, name, sources)
        if kind is None:
            continue
        g = GType(kind, name)
        g.description = pick_description(t.description for _, t in sources)
        type_directives = merge_applied(ctx, ((i, t.directives) for i, t in sources))
        if kind in ("object", "interface"):
            _merge_composite(ctx, g, sources)
        elif kind == "union":
            merge_union(ctx, g, sources)
        elif kind == "enum":
            merge_enum(ctx, g, sources, usage.get(name, {"output"}))
        elif kind == "input":
            merge_input(ctx, g, sources)
        else:
            merge_scalar(ctx, g, sources)
        # Types carry their join directives first (Apollo adds them while adding types).
        g.directives = g.directives + type_directives.eager + type_directives.deferred
        supergraph.types[name] = g
    _check_entity_interfaces(ctx, supergraph)
    _check_interface_objects(ctx)
    _copy_interface_object_fields(ctx, supergraph)
    _check_implementations(ctx, supergraph)
    _check_not_empty(ctx, supergraph)
    _add_roots(ctx, supergraph)
    _add_links_and_definitions(ctx, supergraph)
    return supergraph


def _type_order(subgraphs: list[Subgraph]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    for s in subgraphs:
        for name in s.types:
            if name not in seen:
                seen.add(name)
                order.append(name)
    return order


def _merged_kind(ctx: MergeContext, name: str, sources: list[tuple[int, SType]]) -> TypeKind | None:
    kinds: set[TypeKind] = {("interface" if t.is_interface_object else t.kind) for _, t in sources}
    if len(kinds) > 1:
        detail = " and ".join(f'{t.kind} in subgraph "{ctx.subgraphs[i].name}"' for i, t in sources)
        ctx.error(
            "TYPE_KIND_MISMATCH",
            f'Type "{name}" has mismatched kind: it is defined as {detail}',
        )
        return None
    return kinds.pop()


def _merge_composite(ctx: MergeContext, g: GType, sources: list[tuple[int, SType]]) -> None:
    for i, t in sources:
        for iface in t.interfaces:
            if iface not in g.interfaces:
                g.interfaces.append(iface)
            g.directives.append(
                GDirective(
                    "join__implements", [("graph", ctx.graphs[i]), ("interface", quote(iface))]
                )
            )
    for i, t in sources:
        g.directives += _join_types(ctx, i, t)
    order: list[str] = []
    for _, t in sources:
        order += [f for f in t.fields if f not in order]
    for fname in order:
        fsources = [(i, t.fields[fname]) for i, t in sources if fname in t.fields]
        merged = merge_field(ctx, g.name, g.kind, sources, fsources)
        if merged is not None:
            g.fields.append(merged)
    if (
        g.kind == "object"
        and g.name not in ("Query", "Mutation", "Subscription")
        and all(
            any(ctx.subgraphs[i].is_external(g.name, f) for f in t.fields.values())
            and all(ctx.subgraphs[i].is_external(g.name, f) for f in t.fields.values())
            for i, t in sources
        )
        and any(t.fields for _, t in sources)
    ):
        ctx.error(
            "EXTERNAL_MISSING_ON_BASE",
            f'Type "{g.name}" only has @external fields in '
            f"{names([ctx.subgraphs[i].name for i, _ in sources])}",
        )


def _join_types(ctx: MergeContext, i: int, t: SType) -> list[GDirective]:
    graph = ("graph", ctx.graphs[i])
    extras: list[tuple[str, str]] = []
    if t.is_interface_object:
        extras.append(("isInterfaceObject", "true"))
    keys = [d for d in t.directives if d.name == "key"]
    if not keys:
        return [GDirective("join__type", [graph, *extras])]
    out: list[GDirective] = []
    for key in keys:
        args = [graph, ("key", quote(str(key.value("fields", ""))))]
        # Federation 1 type extensions become definitions; only @extends still counts.
        if (key.on_extension and ctx.subgraphs[i].fed2) or t.has("extends"):
            args.append(("extension", "true"))
        if "resolvable" in key.args:
            args.append(("resolvable", "true" if key.value("resolvable") else "false"))
        out.append(GDirective("join__type", args + extras))
    return out


def _check_entity_interfaces(ctx: MergeContext, supergraph: Supergraph) -> None:
    """A subgraph that resolves an interface by key must know all its implementations,
    or it could not answer for the ones it lacks."""
    for iface in supergraph.types.values():
        if iface.kind != "interface":
            continue
        implementations = [t.name for t in supergraph.types.values() if iface.name in t.interfaces]
        for i, t in ctx.sources(iface.name):
            if t.kind != "interface":
                continue
            key = next((k for k in t.keys if k.resolvable), None)
            if key is None:
                continue
            sub = ctx.subgraphs[i]
            missing = [
                name
                for name in implementations
                if name not in sub.types or iface.name not in sub.types[name].interfaces
            ]
            if not missing:
                continue
            plural = len(missing) > 1
            listed = " and ".join(
                [", ".join(f'"{m}"' for m in missing[:-1]), f'"{missing[-1]}"']
                if plural
                else [f'"{missing[0]}"']
            )
            ctx.error(
                "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                f'[{sub.name}] Interface type "{iface.name}" has a resolvable key '
                f'(@key(fields: "{key.fields}")) in subgraph "{sub.name}" but that subgraph is '
                f'missing some of the supergraph implementation types of "{iface.name}". '
                f'Subgraph "{sub.name}" should define type{"s" if plural else ""} {listed} '
                f'(and have {"them" if plural else "it"} implement "{iface.name}").',
            )


def _copy_interface_object_fields(ctx: MergeContext, supergraph: Supergraph) -> None:
    """A field an ``@interfaceObject`` adds to an interface exists on every implementation,
    resolved through the interface: a bare ``@join__field`` says no subgraph has it there."""
    for iface in supergraph.types.values():
        if iface.kind != "interface":
            continue
        object_fields: list[str] = []
        for _, t in ctx.sources(iface.name):
            if t.is_interface_object:
                object_fields += [f for f in t.fields if f not in object_fields]
        if not object_fields:
            continue
        for impl in supergraph.types.values():
            if iface.name not in impl.interfaces:
                continue
            for fname in object_fields:
                source = iface.field(fname)
                if source is None:
                    continue
                if impl.field(fname) is not None:
                    _check_sharing_through_interface_object(ctx, impl.name, iface.name, fname)
                    continue
                kept = [d for d in source.directives if not d.name.startswith("join__")]
                impl.fields.append(
                    GField(
                        fname,
                        source.type,
                        list(source.args),
                        source.description,
                        [*kept, GDirective("join__field")],
                    )
                )


def _check_sharing_through_interface_object(
    ctx: MergeContext, impl: str, iface: str, fname: str
) -> None:
    """An implementation's own field and the same field added by an @interfaceObject are
    both resolved, so the sharing rule covers them together."""
    resolving: list[tuple[str, bool]] = []
    for i, t in ctx.sources(impl):
        f = t.fields.get(fname)
        sub = ctx.subgraphs[i]
        if f is not None and not sub.is_external(impl, f):
            resolving.append((f'"{sub.name}"', sub.is_shareable(impl, f)))
    through = f' (through @interfaceObject field "{iface}.{fname}")'
    for i, t in ctx.sources(iface):
        f = t.fields.get(fname)
        sub = ctx.subgraphs[i]
        if t.is_interface_object and f is not None and not sub.is_external(iface, f):
            resolving.append((f'"{sub.name}"{through}', sub.is_shareable(iface, f)))
    not_shareable = [name for name, shareable in resolving if not shareable]
    if len(resolving) > 1 and not_shareable:
        listed = ", ".join(name for name, _ in resolving[:-1]) + " and " + resolving[-1][0]
        ctx.error(
            "INVALID_FIELD_SHARING",
            f'Non-shareable field "{impl}.{fname}" is resolved from multiple subgraphs: it is '
            f"resolved from subgraphs {listed} and defined as non-shareable in "
            f"subgraph{'s' if len(not_shareable) > 1 else ''} {', '.join(not_shareable)}",
        )


def _check_interface_objects(ctx: MergeContext) -> None:
    """An @interfaceObject relies on some subgraph resolving the real type by an interface
    @key; an interface declared only in Federation 1 subgraphs cannot provide one."""
    done: set[str] = set()
    for subgraph in ctx.subgraphs:
        for t in subgraph.types.values():
            if not t.is_interface_object or t.name in done:
                continue
            done.add(t.name)
            sources = list(ctx.sources(t.name))
            if any(s.kind == "interface" and s.keys for _, s in sources):
                continue
            if not any(s.kind == "interface" and not ctx.subgraphs[i].fed2 for i, s in sources):
                continue  # no key anywhere: the satisfiability check explains it
            for i, s in ctx.sources(t.name):
                if s.is_interface_object:
                    ctx.error(
                        "INTERFACE_OBJECT_USAGE_ERROR",
                        f'The @interfaceObject directive is used on type "{t.name}" in subgraph '
                        f'"{ctx.subgraphs[i].name}", which requires other subgraphs to resolve '
                        f"its type name via an interface @key, but no Federation 2 subgraph "
                        f'defines "{t.name}" as an interface with a @key.',
                    )


def _check_implementations(ctx: MergeContext, supergraph: Supergraph) -> None:
    """Fields merge per type, so an interface may gain a field (from one subgraph) that an
    implementation (declared elsewhere) lacks."""
    for t in supergraph.types.values():
        for iface_name in t.interfaces:
            iface = supergraph.types.get(iface_name)
            if iface is None:
                continue
            for f in iface.fields:
                implementation = t.field(f.name)
                if implementation is not None:
                    if not ctx.is_subtype(f.type, implementation.type):
                        ctx.error(
                            "INVALID_GRAPHQL",
                            f"Interface field {iface_name}.{f.name} expects type {f.type} but "
                            f"{t.name}.{f.name} of type {implementation.type} is not a proper "
                            "subtype.",
                        )
                    continue
                declared = [
                    ctx.subgraphs[i].name for i, s in ctx.sources(iface_name) if f.name in s.fields
                ]
                implementing = [
                    ctx.subgraphs[i].name
                    for i, s in ctx.sources(t.name)
                    if iface_name in s.interfaces
                ]
                ctx.error(
                    "INTERFACE_FIELD_NO_IMPLEM",
                    f'Interface field "{iface_name}.{f.name}" is declared in {names(declared)} but '
                    f'type "{t.name}", which implements "{iface_name}" only in '
                    f'{names(implementing)} does not have field "{f.name}".',
                )


def _check_not_empty(ctx: MergeContext, supergraph: Supergraph) -> None:
    query = supergraph.types.get("Query")
    if query is None or not query.fields:
        ctx.error(
            "NO_QUERIES",
            "No queries found in any subgraph: a supergraph must have a query root type.",
        )
    for t in supergraph.types.values():
        if t.name != "Query" and t.kind in ("object", "interface") and not t.fields:
            ctx.error("INVALID_GRAPHQL", f"Type {t.name} must define one or more fields.")


def _add_roots(ctx: MergeContext, supergraph: Supergraph) -> None:
    for op in ("query", "mutation", "subscription"):
        name = op.capitalize()
        if name in supergraph.types and any(op in s.roots for s in ctx.subgraphs):
            supergraph.roots[op] = name


def _add_links_and_definitions(ctx: MergeContext, supergraph: Supergraph) -> None:
    newest = max(s.version for s in ctx.subgraphs)
    version = join_version(newest, "overrideLabel" in ctx.features)
    supergraph.links.append(
        GDirective("link", [("url", quote("https://specs.apollo.dev/link/v1.0"))])
    )
    supergraph.links.append(
        GDirective(
            "link",
            [("url", quote(f"https://specs.apollo.dev/join/{version}")), ("for", "EXECUTION")],
        )
    )
    defs = supergraph.directive_definitions
    defs.update(LINK_DEFINITIONS)
    defs.update(JOIN_DEFINITIONS(version))
    for spec in _spec_order(ctx):
        args = [("url", quote(spec.url))]
        if spec.purpose:
            args.append(("for", spec.purpose))
        supergraph.links.append(GDirective("link", args))
        defs.update(spec.definitions)
        scalar = SCALARS_OF_SPEC.get(spec.directive)
        if scalar:
            supergraph.types[scalar] = GType("scalar", scalar)
    _add_composed_directives(ctx, supergraph)
    types = supergraph.types
    types["join__FieldSet"] = GType("scalar", "join__FieldSet")
    if version != "v0.3":
        types["join__DirectiveArguments"] = GType("scalar", "join__DirectiveArguments")
    if version == "v0.5":
        types["join__FieldValue"] = GType("scalar", "join__FieldValue")
        types["join__ContextArgument"] = GType(
            "input",
            "join__ContextArgument",
            fields=[
                GField("name", "String!"),
                GField("type", "String!"),
                GField("context", "String!"),
                GField("selection", "join__FieldValue!"),
            ],
        )
    types["join__Graph"] = GType(
        "enum",
        "join__Graph",
        values=[
            GEnumValue(
                graph,
                directives=[
                    GDirective("join__graph", [("name", quote(s.name)), ("url", quote(s.url))])
                ],
            )
            for graph, s in zip(ctx.graphs, ctx.subgraphs, strict=True)
        ],
    )
    types["link__Import"] = GType("scalar", "link__Import")
    types["link__Purpose"] = _LINK_PURPOSE


def _spec_order(ctx: MergeContext) -> list[Spec]:
    """Specs in Apollo's order: subgraph by subgraph, each in the fixed spec order."""
    ordered: list[Spec] = []
    for subgraph in ctx.subgraphs:
        used = _directives_used(subgraph)
        for spec in SECURITY_SPECS:
            if spec.directive in ctx.features and spec.directive in used and spec not in ordered:
                ordered.append(spec)
    return ordered


def _directives_used(subgraph: Subgraph) -> set[str]:
    used: set[str] = set()
    for t in subgraph.types.values():
        used.update(d.name for d in t.directives)
        for v in t.values.values():
            used.update(d.name for d in v.directives)
        for f in t.fields.values():
            used.update(d.name for d in f.directives)
            for a in f.args.values():
                used.update(d.name for d in a.directives)
    return used


def _add_composed_directives(ctx: MergeContext, supergraph: Supergraph) -> None:
    from graphql import print_ast

    imports_by_url: dict[str, list[str]] = {}
    for s in ctx.subgraphs:
        for name, url in s.composed.items():
            imports = imports_by_url.setdefault(url, [])
            if f"@{name}" not in imports:
                imports.append(f"@{name}")
            supergraph.directive_definitions.setdefault(name, print_ast(s.directive_defs[name]))
    for url, imports in imports_by_url.items():
        printed = "[" + ", ".join(quote(i) for i in imports) + "]"
        supergraph.links.append(GDirective("link", [("url", quote(url)), ("import", printed)]))
