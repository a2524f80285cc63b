"""Shrink a disagreeing operation to a smaller one that still disagrees the same way.

Greedy, one edit at a time, bounded by a number of asks: remove a selection (field,
inline fragment, fragment spread; biggest subtrees first), an argument, a directive or
an alias. After each edit, unused fragments and variables are dropped and the candidate
must still validate against the API schema; it is kept when both gateways are asked
again and the verdict is of the same kind (``data``, ``errors``, ``order``, ...).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    parse,
    print_ast,
    validate,
    visit,
)

__all__ = ["minimise"]

Path = tuple[Any, ...]


def _selection_sets(doc: DocumentNode) -> Iterator[SelectionSetNode]:
    sets: list[SelectionSetNode] = []

    class Collect(Visitor):
        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> None:
            sets.append(node)

    visit(doc, Collect())
    yield from sets


class _Uses(Visitor):
    def __init__(self, fragments: set[str], variables: set[str]) -> None:
        super().__init__()
        self.fragments, self.variables = fragments, variables

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.fragments.add(node.name.value)

    def enter_variable(self, node: Any, *_: Any) -> None:
        self.variables.add(node.name.value)


def _cleanup(doc: DocumentNode, variables: dict[str, Any]) -> tuple[DocumentNode, dict[str, Any]]:
    """Drop fragments nobody spreads and variables nobody reads (until stable)."""
    while True:
        used_fragments: set[str] = set()
        used_vars: set[str] = set()
        uses = _Uses(used_fragments, used_vars)

        body = [d for d in doc.definitions if not isinstance(d, OperationDefinitionNode)]
        ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
        for op in ops:
            visit(op.selection_set, uses)
        for frag in body:
            if isinstance(frag, FragmentDefinitionNode):
                visit(frag.selection_set, uses)
        defs = [
            d
            for d in doc.definitions
            if not isinstance(d, FragmentDefinitionNode) or d.name.value in used_fragments
        ]
        changed = len(defs) != len(doc.definitions)
        for op in ops:
            kept = tuple(
                v for v in (op.variable_definitions or ()) if v.variable.name.value in used_vars
            )
            if len(kept) != len(op.variable_definitions or ()):
                op.variable_definitions = kept
                changed = True
        doc.definitions = tuple(defs)
        if not changed:
            names = {v.variable.name.value for op in ops for v in (op.variable_definitions or ())}
            return doc, {k: v for k, v in variables.items() if k in names}


def _edits(doc: DocumentNode) -> Iterator[Callable[[DocumentNode], bool]]:
    """Candidate edits, each a function applying itself to a deep copy of ``doc``.

    Edits are addressed by the index of the selection set in visit order and the index
    inside it, so that they can be replayed on a copy.
    """
    sets = list(_selection_sets(doc))
    # Bigger subtrees first: an edit that removes more is tried earlier.
    order = []
    for si, s in enumerate(sets):
        for i, sel in enumerate(s.selections):
            order.append((_size(sel), si, i))
    order.sort(key=lambda t: -t[0])
    for _, si, i in order:
        if len(sets[si].selections) > 1:
            yield _remove_selection(si, i)
        sel = sets[si].selections[i]
        if isinstance(sel, InlineFragmentNode | FragmentSpreadNode | FieldNode) and sel.directives:
            yield _strip(si, i, "directives")
        if isinstance(sel, FieldNode):
            if sel.alias is not None:
                yield _strip(si, i, "alias")
            for a in range(len(sel.arguments or ())):
                yield _remove_argument(si, i, a)
        if isinstance(sel, InlineFragmentNode):
            yield _unwrap_inline(si, i)
        if isinstance(sel, FragmentSpreadNode):
            yield _inline_spread(si, i)


def _size(node: Any) -> int:
    total = 1
    sub = getattr(node, "selection_set", None)
    if sub is not None:
        total += sum(_size(s) for s in sub.selections)
    return total


def _remove_selection(si: int, i: int) -> Callable[[DocumentNode], bool]:
    def apply(doc: DocumentNode) -> bool:
        s = list(_selection_sets(doc))[si]
        s.selections = tuple(x for j, x in enumerate(s.selections) if j != i)
        return True

    return apply


def _strip(si: int, i: int, attr: str) -> Callable[[DocumentNode], bool]:
    def apply(doc: DocumentNode) -> bool:
        sel = list(_selection_sets(doc))[si].selections[i]
        setattr(sel, attr, () if attr == "directives" else None)
        return True

    return apply


def _remove_argument(si: int, i: int, a: int) -> Callable[[DocumentNode], bool]:
    def apply(doc: DocumentNode) -> bool:
        sel = list(_selection_sets(doc))[si].selections[i]
        sel.arguments = tuple(x for j, x in enumerate(sel.arguments) if j != a)
        return True

    return apply


def _unwrap_inline(si: int, i: int) -> Callable[[DocumentNode], bool]:
    """Replace ``... on T { a b }`` by ``a b`` (valid only where T is the parent type)."""

    def apply(doc: DocumentNode) -> bool:
        s = list(_selection_sets(doc))[si]
        sel = s.selections[i]
        s.selections = (*s.selections[:i], *sel.selection_set.selections, *s.selections[i + 1 :])
        return True

    return apply


def _inline_spread(si: int, i: int) -> Callable[[DocumentNode], bool]:
    """Replace ``...F`` by ``... on T { F's selections }`` (then unwrapping may follow)."""

    def apply(doc: DocumentNode) -> bool:
        s = list(_selection_sets(doc))[si]
        sel = s.selections[i]
        frag = next(
            d
            for d in doc.definitions
            if isinstance(d, FragmentDefinitionNode) and d.name.value == sel.name.value
        )
        inline = InlineFragmentNode(
            type_condition=copy.deepcopy(frag.type_condition),
            directives=sel.directives,
            selection_set=copy.deepcopy(frag.selection_set),
        )
        s.selections = (*s.selections[:i], inline, *s.selections[i + 1 :])
        return True

    return apply


def minimise(
    query: str,
    variables: dict[str, Any],
    schema: GraphQLSchema,
    still_disagrees: Callable[[str, dict[str, Any]], bool],
    budget: int = 80,
) -> tuple[str, dict[str, Any], int]:
    """The smallest (greedy) operation for which ``still_disagrees`` holds.

    Returns (query, variables, asks used). ``budget`` bounds the calls of
    ``still_disagrees`` (each asks both gateways once).
    """
    doc = parse(query, no_location=True)
    best_text = print_ast(doc)
    best_vars = dict(variables)
    asks = 0
    seen: set[str] = {best_text}
    improved = True
    while improved and asks < budget:
        improved = False
        current = parse(best_text, no_location=True)
        for edit in _edits(current):
            if asks >= budget:
                break
            candidate = copy.deepcopy(current)
            edit(candidate)
            candidate, cvars = _cleanup(candidate, best_vars)
            text = print_ast(candidate)
            if text in seen:
                continue
            seen.add(text)
            try:
                if validate(schema, parse(text)):
                    continue
            except Exception:
                continue
            asks += 1
            if still_disagrees(text, cvars):
                best_text, best_vars = text, cvars
                improved = True
                break
    return best_text, best_vars, asks
