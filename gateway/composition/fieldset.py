"""Field sets (``@key``, ``@requires``, ``@provides`` arguments): parse them and resolve
each selected field against a subgraph's types."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, GraphQLError, InlineFragmentNode, SelectionSetNode, TokenKind
from graphql.language.parser import Parser

from .model import SField, Subgraph, named_type

__all__ = ["FieldSetError", "SelectedField", "parse_field_set", "resolve_field_set"]


class FieldSetError(Exception):
    """The field set does not parse, or selects something the type does not have."""


@dataclass(frozen=True, slots=True)
class SelectedField:
    parent: str
    field: SField
    has_selection: bool
    has_arguments: bool
    under_external: bool  # some enclosing selected field is @external


def parse_field_set(text: str) -> SelectionSetNode:
    try:
        parser = Parser("{" + text + "}", no_location=True)
        parser.expect_token(TokenKind.SOF)
        selection = parser.parse_selection_set()
        parser.expect_token(TokenKind.EOF)
        return selection
    except GraphQLError as exc:
        raise FieldSetError(f'"{text}" does not parse: {exc.message}') from exc


def resolve_field_set(subgraph: Subgraph, type_name: str, text: str) -> list[SelectedField]:
    """Every field the set selects, outermost first; raise FieldSetError naming the culprit."""
    out: list[SelectedField] = []
    _walk(subgraph, type_name, parse_field_set(text), out, text, False)
    return out


def _walk(
    subgraph: Subgraph,
    type_name: str,
    selection: SelectionSetNode,
    out: list[SelectedField],
    text: str,
    under_external: bool,
) -> None:
    parent = subgraph.types.get(type_name)
    if parent is None:
        raise FieldSetError(f'"{text}": type "{type_name}" is not defined in this subgraph')
    for node in selection.selections:
        if isinstance(node, InlineFragmentNode):
            target = node.type_condition.name.value if node.type_condition else type_name
            _walk(subgraph, target, node.selection_set, out, text, under_external)
            continue
        if not isinstance(node, FieldNode):
            raise FieldSetError(f'"{text}": named fragments are not allowed in a field set')
        name = node.name.value
        if name == "__typename":
            continue
        if parent.kind not in ("object", "interface"):
            raise FieldSetError(f'"{text}": type "{type_name}" has no fields')
        sfield = parent.fields.get(name)
        if sfield is None:
            raise FieldSetError(f'"{text}": cannot query field "{name}" on type "{type_name}"')
        child_type = subgraph.types.get(named_type(sfield.type))
        composite = child_type is not None and child_type.kind in ("object", "interface", "union")
        if composite and node.selection_set is None:
            raise FieldSetError(
                f'"{text}": field "{type_name}.{name}" of composite type needs a selection'
            )
        if not composite and node.selection_set is not None:
            raise FieldSetError(
                f'"{text}": leaf field "{type_name}.{name}" cannot have a selection'
            )
        for argument in node.arguments or ():
            if argument.name.value not in sfield.args:
                raise FieldSetError(
                    f'"{text}": unknown argument "{argument.name.value}" found in value: '
                    f'"{type_name}.{name}" has no argument named "{argument.name.value}"'
                )
        has_selection = node.selection_set is not None
        out.append(
            SelectedField(type_name, sfield, has_selection, bool(node.arguments), under_external)
        )
        if node.selection_set is not None:
            external = under_external or sfield.has("external")
            _walk(subgraph, named_type(sfield.type), node.selection_set, out, text, external)
