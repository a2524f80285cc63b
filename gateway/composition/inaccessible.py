"""What @inaccessible leaves must still be a valid API schema: the query root stays
visible, nothing visible points at a hidden type, and no visible type is left empty."""

from __future__ import annotations

from .supergraph import GArgument, GEnumValue, GField, GType, Supergraph

__all__ = ["inaccessible_errors"]

_Element = GType | GField | GArgument | GEnumValue


def _hidden(element: _Element) -> bool:
    return any(d.name == "inaccessible" for d in element.directives)


def _named(ref: str) -> str:
    return ref.replace("[", "").replace("]", "").replace("!", "")


def inaccessible_errors(supergraph: Supergraph) -> list[tuple[str, str]]:
    """(code, message) for each way the API schema would break."""
    types = supergraph.types
    errors: list[tuple[str, str]] = []
    query = types.get(supergraph.roots.get("query", "Query"))
    if query is not None and _hidden(query):
        errors.append(
            (
                "QUERY_ROOT_TYPE_INACCESSIBLE",
                f'Type "{query.name}" is @inaccessible but is the root query type, which must be '
                "in the API schema.",
            )
        )
        return errors
    for t in sorted(types.values(), key=lambda t: t.name):
        if _hidden(t) or t.name.startswith(("join__", "link__")):
            continue
        for f in t.fields:
            if _hidden(f):
                continue
            _reference(types, f.type, f"{t.name}.{f.name}", errors)
            for a in f.args:
                if not _hidden(a):
                    _reference(types, a.type, f"{t.name}.{f.name}({a.name}:)", errors)
        children = {"object": t.fields, "interface": t.fields, "input": t.fields, "enum": t.values}
        kids: list[GField] | list[GEnumValue] | None = children.get(t.kind)  # type: ignore[assignment]
        if kids and all(_hidden(k) for k in kids):
            what = "values" if t.kind == "enum" else "fields"
            errors.append(
                (
                    "ONLY_INACCESSIBLE_CHILDREN",
                    f'Type "{t.name}" is in the API schema but all of its {what} are @inaccessible.',
                )
            )
        if (
            t.kind == "union"
            and t.members
            and all(m in types and _hidden(types[m]) for m in t.members)
        ):
            errors.append(
                (
                    "ONLY_INACCESSIBLE_CHILDREN",
                    f'Type "{t.name}" is in the API schema but all of its members are @inaccessible.',
                )
            )
    return errors


def _reference(
    types: dict[str, GType], ref: str, coordinate: str, errors: list[tuple[str, str]]
) -> None:
    target = types.get(_named(ref))
    if target is not None and _hidden(target):
        errors.append(
            (
                "REFERENCED_INACCESSIBLE",
                f'Type "{target.name}" is @inaccessible but is referenced by "{coordinate}", '
                "which is in the API schema.",
            )
        )
