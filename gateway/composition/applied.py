"""Merge the directives a supergraph keeps (``@inaccessible``, ``@tag``, ``@deprecated``,
``@specifiedBy``, ``@authenticated``, ``@requiresScopes``, ``@policy`` and composed custom
directives) from every subgraph that applies them to one element."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import print_ast

from .context import MergeContext
from .model import Applied
from .supergraph import GDirective

__all__ = ["MergedDirectives", "merge_applied"]

_SPEC_DIRECTIVES = ("tag", "inaccessible", "authenticated", "requiresScopes", "policy")
_BUILTIN = ("deprecated", "specifiedBy")


class MergedDirectives:
    """``eager`` are printed before the join directives (Apollo applies ``@inaccessible``
    first, as later checks need it); ``deferred`` come after, ordered by name."""

    __slots__ = ("deferred", "eager")

    def __init__(self, eager: list[GDirective], deferred: list[GDirective]) -> None:
        self.eager = eager
        self.deferred = deferred


def merge_applied(
    ctx: MergeContext, sources: Iterable[tuple[int, list[Applied]]]
) -> MergedDirectives:
    by_name: dict[str, list[Applied]] = {}
    for idx, applied in sources:
        subgraph = ctx.subgraphs[idx]
        for d in applied:
            if d.name in _SPEC_DIRECTIVES or d.name in _BUILTIN:
                by_name.setdefault(d.name, []).append(d)
            elif d.name in subgraph.composed:
                ctx.features.add("composed:" + d.name)
                by_name.setdefault(d.name, []).append(d)
    eager: list[GDirective] = []
    deferred: list[GDirective] = []
    for name in sorted(by_name):
        applications = by_name[name]
        if name in _SPEC_DIRECTIVES:
            ctx.features.add(name)
        if name == "inaccessible":
            eager.append(GDirective("inaccessible"))
        elif name in ("authenticated",):
            deferred.append(GDirective(name))
        elif name in ("requiresScopes", "policy"):
            deferred.append(_merge_dnf(ctx, name, applications))
        elif name == "tag" or _repeatable(ctx, name):
            deferred.extend(_distinct(applications))
        else:
            first = _distinct(applications)
            if len(first) > 1:
                ctx.hint(
                    "INCONSISTENT_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
                    f"@{name} is applied with different arguments across subgraphs; "
                    f"using {first[0].print()}",
                )
            deferred.append(first[0])
    return MergedDirectives(eager, deferred)


def _distinct(applications: list[Applied]) -> list[GDirective]:
    seen: list[GDirective] = []
    for a in applications:
        g = GDirective(a.name, a.printed_args())
        if g not in seen:
            seen.append(g)
    return seen


def _repeatable(ctx: MergeContext, name: str) -> bool:
    for s in ctx.subgraphs:
        definition = s.directive_defs.get(name)
        if definition is not None:
            return bool(definition.repeatable)
    return False


def _merge_dnf(ctx: MergeContext, name: str, applications: list[Applied]) -> GDirective:
    """AND of the subgraphs' requirements, each an OR of AND-sets: the product, in
    disjunctive normal form (sorted sets, sorted alternatives, no duplicates)."""
    arg = "scopes" if name == "requiresScopes" else "policies"
    distinct = _distinct(applications)
    if len(distinct) == 1:
        return distinct[0]
    result: list[frozenset[str]] = [frozenset()]
    for a in applications:
        alternatives = [frozenset(str(x) for x in alt) for alt in (a.value(arg) or [])]
        result = [r | alt for r in result for alt in alternatives]
    unique = sorted({tuple(sorted(r)) for r in result})
    printed = "[" + ", ".join("[" + ", ".join(_quote(s) for s in r) + "]" for r in unique) + "]"
    return GDirective(name, [(arg, printed)])


def _quote(text: str) -> str:
    from graphql import StringValueNode

    return print_ast(StringValueNode(value=text))
