"""Mutable selection trees the planner fills per fetch, and their compact GraphQL text."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ArgumentNode, DirectiveNode, ValueNode, VariableNode, print_ast
from graphql.language import ListValueNode, ObjectValueNode

__all__ = ["SelField", "SelFragment", "SelSet", "directives_text", "variables_in"]


def _args_text(args: tuple[ArgumentNode, ...]) -> str:
    if not args:
        return ""
    return "(" + ",".join(f"{a.name.value}:{print_ast(a.value)}" for a in args) + ")"


def directives_text(directives: tuple[DirectiveNode, ...]) -> str:
    return "".join(f"@{d.name.value}{_args_text(tuple(d.arguments))}" for d in directives)


@dataclass(slots=True)
class SelField:
    name: str
    alias: str | None = None
    args: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    selset: SelSet | None = None
    # the field's type as the subgraph declares it ("ID!"), for response-shape checks
    type_key: str | None = None

    @property
    def response_key(self) -> str:
        return self.alias or self.name

    def signature(self) -> str:
        """Name and arguments: two fields under one response key must agree on it."""
        return self.name + _args_text(self.args)


@dataclass(slots=True)
class SelFragment:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...] = ()
    selset: SelSet = field(default_factory=lambda: SelSet())


@dataclass(slots=True)
class SelSet:
    """Ordered selections; fields merge by response key and directives, fragments by type."""

    items: dict[str, SelField | SelFragment] = field(default_factory=dict)

    def field(
        self,
        name: str,
        alias: str | None = None,
        args: tuple[ArgumentNode, ...] = (),
        directives: tuple[DirectiveNode, ...] = (),
        composite: bool = False,
    ) -> SelField:
        """Return the field with this response key (creating it); subselection if composite."""
        key = (alias or name) + directives_text(directives)
        found = self.items.get(key)
        if isinstance(found, SelField):
            return found
        created = SelField(name, alias, args, directives, SelSet() if composite else None)
        self.items[key] = created
        return created

    def fragment(
        self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()
    ) -> SelFragment:
        key = f"...{type_condition or ''}{directives_text(directives)}"
        found = self.items.get(key)
        if isinstance(found, SelFragment):
            return found
        created = SelFragment(type_condition, directives)
        self.items[key] = created
        return created

    def prune_redundant(self, inherited: frozenset[str] = frozenset()) -> None:
        """Drop leaf fields a fragment repeats from the enclosing selection (keys added
        once per type condition), and fragments left empty."""
        here = {
            i.signature() + "@" + i.response_key
            for i in self.items.values()
            if isinstance(i, SelField) and i.selset is None and not i.directives
        }
        for key, item in list(self.items.items()):
            if isinstance(item, SelField):
                if item.selset is not None:
                    item.selset.prune_redundant()
                continue
            item.selset.prune_redundant(frozenset(here | inherited))
            for inner_key, inner in list(item.selset.items.items()):
                if (
                    isinstance(inner, SelField)
                    and inner.selset is None
                    and not inner.directives
                    and inner.signature() + "@" + inner.response_key in here | inherited
                ):
                    del item.selset.items[inner_key]
            if item.selset.is_empty():
                del self.items[key]

    def is_empty(self) -> bool:
        return not self.items

    def print(self) -> str:
        parts: list[str] = []
        for item in self.items.values():
            if isinstance(item, SelField):
                text = item.name if item.alias is None else f"{item.alias}:{item.name}"
                text += _args_text(item.args) + directives_text(item.directives)
                if item.selset is not None:
                    # Every fragment may have been filtered out for this subgraph.
                    inner = item.selset.print()
                    text += "{__typename}" if inner == "{}" else inner
                parts.append(text)
            else:
                if item.selset.is_empty():
                    continue
                cond = f" on {item.type_condition}" if item.type_condition else ""
                parts.append(f"...{cond}{directives_text(item.directives)}{item.selset.print()}")
        return "{" + " ".join(parts) + "}"


def _value_variables(value: ValueNode, out: list[str]) -> None:
    if isinstance(value, VariableNode):
        if value.name.value not in out:
            out.append(value.name.value)
    elif isinstance(value, ListValueNode):
        for item in value.values:
            _value_variables(item, out)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            _value_variables(object_field.value, out)


def variables_in(selset: SelSet, out: list[str] | None = None) -> list[str]:
    """Variable names used by arguments and directives, in first-use order."""
    found: list[str] = [] if out is None else out
    for item in selset.items.values():
        for directive in item.directives:
            for arg in directive.arguments:
                _value_variables(arg.value, found)
        if isinstance(item, SelField):
            for arg in item.args:
                _value_variables(arg.value, found)
            if item.selset is not None:
                variables_in(item.selset, found)
        else:
            variables_in(item.selset, found)
    return found
