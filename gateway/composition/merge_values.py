"""Merge the non-composite kinds: unions (all members), enums (by how they are used),
input objects (the fields every subgraph has) and scalars."""

from __future__ import annotations

from .applied import merge_applied
from .context import MergeContext, default_conflict, names, pick_description
from .merge_fields import merge_type_reference
from .model import SType
from .supergraph import GDirective, GEnumValue, GField, GType

__all__ = ["enum_usage", "merge_enum", "merge_input", "merge_scalar", "merge_union"]


def _join_type(ctx: MergeContext, i: int) -> GDirective:
    return GDirective("join__type", [("graph", ctx.graphs[i])])


def merge_union(ctx: MergeContext, g: GType, sources: list[tuple[int, SType]]) -> None:
    for _, t in sources:
        g.members += [m for m in t.members if m not in g.members]
    g.directives += [_join_type(ctx, i) for i, _ in sources]
    for member in g.members:
        for i, t in sources:
            if member in t.members:
                g.directives.append(
                    GDirective(
                        "join__unionMember", [("graph", ctx.graphs[i]), ("member", f'"{member}"')]
                    )
                )
        missing = [ctx.subgraphs[i].name for i, t in sources if member not in t.members]
        if missing:
            ctx.hint(
                "INCONSISTENT_UNION_MEMBER",
                f'Union type "{g.name}" includes member type "{member}" in some but not all '
                f"defining subgraphs: it is not in {names(missing)}.",
            )


def enum_usage(ctx: MergeContext) -> dict[str, set[str]]:
    """Enum name -> {"input", "output"}: where any subgraph uses it."""
    usage: dict[str, set[str]] = {}
    for s in ctx.subgraphs:
        for t in s.types.values():
            for f in t.fields.values():
                position = "input" if t.kind == "input" else "output"
                usage.setdefault(_base(f.type), set()).add(position)
                for a in f.args.values():
                    usage.setdefault(_base(a.type), set()).add("input")
    return usage


def _base(ref: str) -> str:
    return ref.replace("[", "").replace("]", "").replace("!", "")


def merge_enum(
    ctx: MergeContext, g: GType, sources: list[tuple[int, SType]], usage: set[str]
) -> None:
    order: list[str] = []
    for _, t in sources:
        order += [v for v in t.values if v not in order]
    g.directives += [_join_type(ctx, i) for i, _ in sources]
    for value in order:
        having = [(i, t.values[value]) for i, t in sources if value in t.values]
        lacking = [ctx.subgraphs[i].name for i, t in sources if value not in t.values]
        hidden = all(any(d.name == "inaccessible" for d in v.directives) for _, v in having)
        if lacking and "input" in usage and not ("output" in usage and hidden):
            # An @inaccessible value cannot reach a client, so it need not be everywhere.
            if "output" in usage:
                ctx.error(
                    "ENUM_VALUE_MISMATCH",
                    f'Enum type "{g.name}" is used as both input type and output type, but value '
                    f'"{value}" is not defined in all the subgraphs defining "{g.name}": it is '
                    f"defined in {names([ctx.subgraphs[i].name for i, _ in having])} but not in "
                    f"{names(lacking)}",
                )
            else:
                ctx.hint(
                    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
                    f'Value "{value}" of enum type "{g.name}" will not be part of the supergraph as '
                    f'it is not defined in all the subgraphs defining "{g.name}": it is missing '
                    f"in {names(lacking)}",
                )
            continue
        merged = merge_applied(ctx, ((i, v.directives) for i, v in having))
        g.values.append(
            GEnumValue(
                value,
                pick_description(v.description for _, v in having),
                merged.eager
                + [GDirective("join__enumValue", [("graph", ctx.graphs[i])]) for i, _ in having]
                + merged.deferred,
            )
        )
    if not g.values:
        ctx.error(
            "EMPTY_MERGED_ENUM_TYPE",
            f'None of the values of enum type "{g.name}" are defined consistently in all the '
            "subgraphs defining that type. As only values common to all subgraphs are merged, "
            "this would result in an empty type.",
        )


def merge_input(ctx: MergeContext, g: GType, sources: list[tuple[int, SType]]) -> None:
    order: list[str] = []
    for _, t in sources:
        order += [f for f in t.fields if f not in order]
    g.directives += [_join_type(ctx, i) for i, _ in sources]
    for name in order:
        having = [(i, t.fields[name]) for i, t in sources if name in t.fields]
        lacking = [ctx.subgraphs[i].name for i, t in sources if name not in t.fields]
        coord = f"{g.name}.{name}"
        hidden = all(any(d.name == "inaccessible" for d in f.directives) for _, f in having)
        # An @inaccessible field is invisible to clients, so it need not be everywhere.
        if lacking and not hidden:
            required = [
                ctx.subgraphs[i].name
                for i, f in having
                if f.type.endswith("!") and f.default is None
            ]
            if required:
                ctx.error(
                    "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                    f'Input object field "{coord}" is required in some subgraphs but does not appear '
                    f"in all subgraphs: it is required in {names(required)} but does not appear in "
                    f"{names(lacking)}",
                )
            else:
                ctx.hint(
                    "INCONSISTENT_INPUT_OBJECT_FIELD",
                    f'Input object field "{coord}" will not be added to the supergraph as it does '
                    f"not appear in all subgraphs: it is defined in "
                    f"{names([ctx.subgraphs[i].name for i, _ in having])} but not in {names(lacking)}",
                )
            continue
        field_type, all_equal = merge_type_reference(
            ctx,
            f'input field "{coord}"',
            [(i, f.type) for i, f in having],
            True,
            "FIELD_TYPE_MISMATCH",
        )
        defaults = {f.default for _, f in having if f.default is not None}
        if len(defaults) > 1:
            ctx.error(
                "INPUT_FIELD_DEFAULT_MISMATCH",
                default_conflict(
                    f'Input field "{coord}"',
                    [(ctx.subgraphs[i].name, f.default) for i, f in having],
                ),
            )
        merged = merge_applied(ctx, ((i, f.directives) for i, f in having))
        join = (
            []
            if all_equal and not lacking
            else [
                GDirective(
                    "join__field",
                    [("graph", ctx.graphs[i])] + ([] if all_equal else [("type", f'"{f.type}"')]),
                )
                for i, f in having
            ]
        )
        g.fields.append(
            GField(
                name,
                field_type,
                description=pick_description(f.description for _, f in having),
                directives=merged.eager + join + merged.deferred,
                default=next(iter(sorted(defaults)), None),
            )
        )
    if not g.fields:
        ctx.error(
            "EMPTY_MERGED_INPUT_TYPE",
            f'None of the fields of input object type "{g.name}" are consistently defined in all '
            "the subgraphs defining that type. As only fields common to all subgraphs are "
            "merged, this would result in an empty type.",
        )


def merge_scalar(ctx: MergeContext, g: GType, sources: list[tuple[int, SType]]) -> None:
    g.directives += [_join_type(ctx, i) for i, _ in sources]
