"""Merge one field of an object or interface type across subgraphs.

Phases: ``@override`` (who takes the field from whom, and whether the source still
needs it); sharing (a field resolved by several subgraphs must be ``@shareable`` in all
of them); the type (the most general compatible output type); the arguments (the ones
every subgraph has, with the most specific input type); the ``@join__field``
applications, only when the router needs them; the directives the supergraph keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import StringValueNode, print_ast

from .applied import merge_applied
from .context import MergeContext, default_conflict, names, pick_description
from .model import SArgument, SField, SType, Subgraph
from .supergraph import GArgument, GDirective, GField

__all__ = ["merge_field", "merge_type_reference", "quote"]


def quote(text: str) -> str:
    return print_ast(StringValueNode(value=text))


@dataclass
class _Overrides:
    by_source: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    unused: set[int] = field(default_factory=set)
    labelled: dict[int, str] = field(default_factory=dict)


def merge_field(
    ctx: MergeContext,
    parent: str,
    parent_kind: str,
    type_sources: list[tuple[int, SType]],
    fsources: list[tuple[int, SField]],
) -> GField | None:
    coord = f"{parent}.{fsources[0][1].name}"
    subs = ctx.subgraphs
    overrides = _overrides(ctx, parent, coord, fsources)
    non_external = [(i, f) for i, f in fsources if not subs[i].is_external(parent, f)]
    if not non_external:
        if parent_kind == "object":
            ctx.error(
                "EXTERNAL_MISSING_ON_BASE",
                f'Field "{coord}" is marked @external on all the subgraphs in which it is listed '
                f"({names([subs[i].name for i, _ in fsources])}).",
            )
        non_external = fsources
    if parent_kind == "object":
        _check_sharing(ctx, parent, coord, fsources, overrides)
    merged_type, all_equal = merge_type_reference(
        ctx,
        f'field "{coord}"',
        [(i, f.type) for i, f in non_external],
        False,
        "FIELD_TYPE_MISMATCH",
    )
    # An @external declaration must repeat the real field's type exactly: Apollo refuses
    # both a nullable external of a non-null field and a non-null external of a nullable one.
    broken = [(i, f) for i, f in fsources if (i, f) not in non_external]
    broken = [(i, f) for i, f in broken if f.type != merged_type]
    if broken:
        by_type: dict[str, list[str]] = {}
        for i, f in broken:
            by_type.setdefault(f.type, []).append(subs[i].name)
        listed = " and ".join(f'type "{t}" in {names(n)}' for t, n in by_type.items())
        ctx.error(
            "EXTERNAL_TYPE_MISMATCH",
            f'Type of field "{coord}" is incompatible across subgraphs (where marked @external): '
            f'it has {listed} but type "{merged_type}" in '
            f"{names([subs[i].name for i, _ in non_external])}",
        )
    _check_external_arguments(ctx, coord, fsources, non_external)
    result = GField(
        fsources[0][1].name,
        merged_type,
        args=_merge_arguments(ctx, coord, non_external),
        description=pick_description(f.description for _, f in fsources),
    )
    directives = merge_applied(ctx, ((i, f.directives) for i, f in fsources))
    result.directives.extend(directives.eager)
    if _needs_join_field(ctx, parent, type_sources, fsources, overrides, all_equal):
        result.directives.extend(_join_fields(ctx, parent, fsources, overrides, all_equal))
    result.directives.extend(directives.deferred)
    return result


def _check_external_arguments(
    ctx: MergeContext,
    coord: str,
    fsources: list[tuple[int, SField]],
    non_external: list[tuple[int, SField]],
) -> None:
    """An @external declaration stands for the real field, arguments included."""
    external = [(i, f) for i, f in fsources if (i, f) not in non_external]
    order: list[str] = []
    for _, f in fsources:
        order += [a for a in f.args if a not in order]
    for name in order:
        lacking = [ctx.subgraphs[i].name for i, f in external if name not in f.args]
        if not lacking:
            continue
        having = [ctx.subgraphs[i].name for i, f in fsources if name in f.args]
        argument = f'"{coord}({name}:)"'
        ctx.error(
            "EXTERNAL_ARGUMENT_MISSING",
            f'Field "{coord}" is missing argument {argument} in some subgraphs where it is '
            f"marked @external: argument {argument} is declared in {names(having)} but not in "
            f'{names(lacking)} (where "{coord}" is @external).',
        )


def _overrides(
    ctx: MergeContext, parent: str, coord: str, fsources: list[tuple[int, SField]]
) -> _Overrides:
    out = _Overrides()
    for i, f in fsources:
        applied = f.first("override")
        if applied is None:
            continue
        source = str(applied.value("from", ""))
        label = applied.value("label")
        out.by_source[i] = (source, None if label is None else str(label))
        j = ctx.index_of(source)
        if j is None:
            ctx.hint(
                "FROM_SUBGRAPH_DOES_NOT_EXIST",
                f'Source subgraph "{source}" for field "{coord}" on subgraph '
                f'"{ctx.subgraphs[i].name}" does not exist.',
            )
            continue
        overridden = ctx.subgraphs[j].field(parent, f.name)
        if overridden is None:
            ctx.hint(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{coord}" on subgraph "{ctx.subgraphs[i].name}" no longer exists in the '
                f'from subgraph "{source}". The @override directive can be removed.',
            )
            continue
        if ctx.subgraphs[i].is_external(parent, f):
            # Only an override that would take effect collides with @external.
            taker = ctx.subgraphs[i].name
            ctx.error(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f'@override cannot be used on field "{coord}" on subgraph "{taker}" since '
                f'"{coord}" on "{taker}" is marked with directive "@external"',
            )
            continue
        if ctx.subgraphs[j].is_external(parent, overridden):
            ctx.hint(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{coord}" on subgraph "{ctx.subgraphs[i].name}" overrides an @external '
                f'field of subgraph "{source}": the @override has no effect there.',
            )
            continue
        if overridden.has("override"):
            ctx.error(
                "OVERRIDE_SOURCE_HAS_OVERRIDE",
                f'Field "{coord}" on subgraph "{ctx.subgraphs[i].name}" is also marked with '
                f'directive @override in subgraph "{source}". Only one @override directive is '
                "allowed per field.",
            )
        if label is not None:
            ctx.features.add("overrideLabel")
            out.labelled[j] = str(label)
        elif _is_used(ctx.subgraphs[j], parent, f.name):
            out.used.add(j)
        else:
            out.unused.add(j)
    return out


def _is_used(subgraph: Subgraph, parent: str, name: str) -> bool:
    """A field its own subgraph still needs: in a field set, or implementing an interface."""
    if f"{parent}.{name}" in subgraph.used_by_own_field_sets:
        return True
    t = subgraph.types.get(parent)
    return t is not None and any(
        name in subgraph.types[i].fields for i in t.interfaces if i in subgraph.types
    )


def _check_sharing(
    ctx: MergeContext,
    parent: str,
    coord: str,
    fsources: list[tuple[int, SField]],
    overrides: _Overrides,
) -> None:
    shareable: list[str] = []
    not_shareable: list[str] = []
    for i, f in fsources:
        sub = ctx.subgraphs[i]
        if i in overrides.unused or i in overrides.used or i in overrides.labelled:
            continue
        if sub.is_external(parent, f) and coord not in sub.provided:
            continue
        (shareable if sub.is_shareable(parent, f) else not_shareable).append(sub.name)
    if not_shareable and (shareable or len(not_shareable) > 1):
        resolving = names(not_shareable + shareable)
        detail = (
            "and defined as non-shareable in all of them"
            if not shareable
            else f"and defined as non-shareable in {names(not_shareable)}"
        )
        ctx.error(
            "INVALID_FIELD_SHARING",
            f'Non-shareable field "{coord}" is resolved from multiple subgraphs: it is resolved '
            f"from {resolving} {detail}",
        )


def merge_type_reference(
    ctx: MergeContext, what: str, refs: list[tuple[int, str]], is_input: bool, code: str
) -> tuple[str, bool]:
    """The merged type and whether every subgraph agreed; output positions take the most
    general type, input positions the most specific."""
    dest: str | None = None
    has_subtypes = False
    incompatible = False
    for _, ref in refs:
        if dest is None or dest == ref:
            dest = ref
        elif ctx.is_subtype(dest, ref):
            has_subtypes = True
            dest = ref if is_input else dest
        elif ctx.is_subtype(ref, dest):
            has_subtypes = True
            dest = dest if is_input else ref
        else:
            incompatible = True
    assert dest is not None
    if incompatible:
        detail = " but ".join(
            f'type "{ref}" in subgraph "{ctx.subgraphs[i].name}"' for i, ref in refs
        )
        ctx.error(code, f"Type of {what} is incompatible across subgraphs: it has {detail}")
    elif has_subtypes:
        ctx.hint(
            "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE"
            if not is_input
            else "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE",
            f'Type of {what} is inconsistent but compatible across subgraphs: will use type "{dest}"',
        )
    return dest, not has_subtypes and not incompatible


def _merge_arguments(
    ctx: MergeContext, coord: str, sources: list[tuple[int, SField]]
) -> list[GArgument]:
    order: list[str] = []
    for _, f in sources:
        order += [a for a in f.args if a not in order]
    merged: list[GArgument] = []
    for name in order:
        present: list[tuple[int, SArgument]] = [
            (i, f.args[name]) for i, f in sources if name in f.args
        ]
        where = f'argument "{coord}({name}:)"'
        if len(present) < len(sources):
            missing = [ctx.subgraphs[i].name for i, f in sources if name not in f.args]
            required = [
                ctx.subgraphs[i].name
                for i, a in present
                if a.type.endswith("!") and a.default is None
            ]
            if required:
                ctx.error(
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                    f"{where[0].upper() + where[1:]} is required in some subgraphs but does not appear in all "
                    f"subgraphs: it is required in {names(required)} but does not appear in "
                    f"{names(missing)}",
                )
            else:
                ctx.hint(
                    "INCONSISTENT_ARGUMENT_PRESENCE",
                    f"Optional {where} will not be included in the supergraph as it does not appear "
                    f"in all subgraphs: it is defined in "
                    f"{names([ctx.subgraphs[i].name for i, _ in present])} but not in {names(missing)}",
                )
            continue
        arg_type, _ = merge_type_reference(
            ctx, where, [(i, a.type) for i, a in present], True, "FIELD_ARGUMENT_TYPE_MISMATCH"
        )
        defaults = [a.default for _, a in present]
        distinct = {d for d in defaults if d is not None}
        if len(distinct) > 1:
            ctx.error(
                "FIELD_ARGUMENT_DEFAULT_MISMATCH",
                default_conflict(
                    where[0].upper() + where[1:],
                    [(ctx.subgraphs[i].name, a.default) for i, a in present],
                ),
            )
        directives = merge_applied(ctx, ((i, a.directives) for i, a in present))
        merged.append(
            GArgument(
                name,
                arg_type,
                next(iter(d for d in defaults if d is not None), None),
                pick_description(a.description for _, a in present),
                directives.eager + directives.deferred,
            )
        )
    return merged


def _needs_join_field(
    ctx: MergeContext,
    parent: str,
    type_sources: list[tuple[int, SType]],
    fsources: list[tuple[int, SField]],
    overrides: _Overrides,
    all_equal: bool,
) -> bool:
    if not all_equal or overrides.used or overrides.labelled:
        return True
    by_index = dict(fsources)
    for i, _ in type_sources:
        f = by_index.get(i)
        if f is None or i in overrides.unused:
            return True
        if ctx.subgraphs[i].is_external(parent, f) or f.has("provides") or f.has("requires"):
            return True
    return False


def _join_fields(
    ctx: MergeContext,
    parent: str,
    fsources: list[tuple[int, SField]],
    overrides: _Overrides,
    all_equal: bool,
) -> list[GDirective]:
    out: list[GDirective] = []
    for i, f in fsources:
        if i in overrides.unused:
            continue
        args: list[tuple[str, str]] = [("graph", ctx.graphs[i])]
        for name in ("requires", "provides"):
            applied = f.first(name)
            if applied is not None:
                args.append((name, quote(str(applied.value("fields", "")))))
        if not all_equal:
            args.append(("type", quote(f.type)))
        if ctx.subgraphs[i].is_external(parent, f):
            args.append(("external", "true"))
        override = overrides.by_source.get(i)
        if override is not None:
            args.append(("override", quote(override[0])))
        if i in overrides.used:
            args.append(("usedOverridden", "true"))
        label = override[1] if override is not None else overrides.labelled.get(i)
        if label is not None:
            args.append(("overrideLabel", quote(label)))
        out.append(GDirective("join__field", args))
    return out
