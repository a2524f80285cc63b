"""Key and ``@requires`` field sets: copying them into representations, aliasing arguments.

A required field with arguments (``price(currency: "EUR")``) may meet the same field
with other arguments in the parent fetch, selected by the client or by another
``@requires``; a key field ``id`` may meet a client alias ``id: name``. The parent
fetch therefore reads such fields under an alias of its own, and the entity fetch
renames the alias back to the field name in each representation.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    InlineFragmentNode,
    NameNode,
    SelectionNode,
    SelectionSetNode,
    print_ast,
)

from gateway.planner.selections import SelSet

__all__ = ["AliasedFieldSet", "alias_arguments", "copy_field_set"]

# (path of response keys below the entity, alias used, field name)
Rename = tuple[tuple[str, ...], str, str]


class AliasedFieldSet:
    """A field set whose argument-bearing fields read under aliases, and how to undo it."""

    def __init__(
        self,
        selection_set: SelectionSetNode,
        aliases: dict[str, str],
        taken: frozenset[str] = frozenset(),
    ) -> None:
        self.taken = taken
        self.renames: list[Rename] = []
        self.signatures: dict[tuple[str, ...], str] = {}
        self.selection_set = self._alias(selection_set, (), (), aliases)
        # Rename the deepest keys first: their paths still name the aliased parents.
        self.renames.sort(key=lambda r: -len(r[0]))

    def _alias(
        self,
        selection_set: SelectionSetNode,
        data_path: tuple[str, ...],
        name_path: tuple[str, ...],
        aliases: dict[str, str],
    ) -> SelectionSetNode:
        out: list[SelectionNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                key = name
                args = ""
                if selection.arguments or name in self.taken:
                    args = ",".join(
                        f"{a.name.value}:{print_ast(a.value)}" for a in selection.arguments
                    )
                    signature = f"{name}({args})"
                    key = aliases.setdefault(signature, f"{name}__req{len(aliases)}")
                    self.renames.append((data_path, key, name))
                self.signatures[(*name_path, name)] = args
                sub = selection.selection_set
                if sub is not None:
                    sub = self._alias(sub, (*data_path, key), (*name_path, name), aliases)
                alias = NameNode(value=key) if key != name else None
                out.append(
                    FieldNode(
                        alias=alias,
                        name=selection.name,
                        arguments=selection.arguments,
                        directives=(),
                        selection_set=sub,
                    )
                )
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                step = f"... on {cond.name.value}" if cond else None
                sub = self._alias(
                    selection.selection_set,
                    data_path if step is None else (*data_path, step),
                    name_path if step is None else (*name_path, step),
                    aliases,
                )
                out.append(
                    InlineFragmentNode(type_condition=cond, directives=(), selection_set=sub)
                )
        return SelectionSetNode(selections=tuple(out))


def alias_arguments(
    selection_set: SelectionSetNode,
    aliases: dict[str, str],
    taken: frozenset[str] = frozenset(),
) -> AliasedFieldSet:
    """Alias fields with arguments, and fields whose name the client uses as an alias."""
    return AliasedFieldSet(selection_set, aliases, taken)


def copy_field_set(selection_set: SelectionSetNode, out: SelSet) -> None:
    """Copy a parsed field set into a representation selection, by response key."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            key = selection.alias.value if selection.alias else selection.name.value
            has_children = selection.selection_set is not None
            item = out.field(key, composite=has_children)
            if has_children and item.selset is not None:
                assert selection.selection_set is not None
                copy_field_set(selection.selection_set, item.selset)
        elif isinstance(selection, InlineFragmentNode):
            cond = selection.type_condition.name.value if selection.type_condition else None
            copy_field_set(selection.selection_set, out.fragment(cond).selset)
