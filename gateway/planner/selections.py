"""Mutable selection trees the planner fills per fetch, and their compact GraphQL text."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ArgumentNode, DirectiveNode, NameNode, ValueNode, VariableNode, print_ast
from graphql.language import ListValueNode, ObjectValueNode

__all__ = [
    "SelField",
    "SelFragment",
    "SelSet",
    "condition_directive",
    "directive_conditions",
    "directives_text",
    "variables_in",
]

# (variable, value that lets the selection run), as in ``groups.Condition``
_Condition = tuple[str, bool]


def condition_directive(condition: _Condition) -> DirectiveNode:
    """``@include(if: $v)`` or ``@skip(if: $v)`` for a condition."""
    variable, runs_when = condition
    return DirectiveNode(
        name=NameNode(value="include" if runs_when else "skip"),
        arguments=(
            ArgumentNode(
                name=NameNode(value="if"), value=VariableNode(name=NameNode(value=variable))
            ),
        ),
    )


def directive_conditions(directives: tuple[DirectiveNode, ...]) -> tuple[_Condition, ...] | None:
    """The conditions a directive list states, or None if it holds anything else."""
    out: list[_Condition] = []
    for directive in directives:
        name = directive.name.value
        value = directive.arguments[0].value if len(directive.arguments) == 1 else None
        if name not in ("include", "skip") or not isinstance(value, VariableNode):
            return None
        out.append((value.name.value, name == "include"))
    return tuple(out)


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

    def guarded(self, conditions: tuple[_Condition, ...]) -> SelSet:
        """The selection set inside one untyped fragment per condition: selections added
        there run only when every condition holds, whatever else shares this fetch."""
        target = self
        seen: set[_Condition] = set()
        for condition in conditions:
            if condition not in seen:
                seen.add(condition)
                target = target.fragment(None, (condition_directive(condition),)).selset
        return target

    def drop_implied_guards(self, in_force: frozenset[_Condition] = frozenset()) -> None:
        """Inline untyped fragments whose conditions already hold where they stand (the
        whole fetch runs under them, or an enclosing fragment states them)."""
        for key, item in list(self.items.items()):
            if isinstance(item, SelField):
                if item.selset is not None:
                    item.selset.drop_implied_guards(in_force)
                continue
            conditions = directive_conditions(item.directives)
            if conditions is None:
                item.selset.drop_implied_guards(in_force)
                continue
            inner_force = in_force | frozenset(conditions)
            item.selset.drop_implied_guards(inner_force)
            if item.type_condition is None and inner_force == in_force:
                del self.items[key]
                self.merge(item.selset)

    def merge(self, other: SelSet) -> None:
        """Add ``other``'s selections to these, merging fields and fragments by key."""
        for key, item in other.items.items():
            found = self.items.get(key)
            if found is None:
                self.items[key] = item
            elif isinstance(found, SelField) and isinstance(item, SelField):
                if found.selset is not None and item.selset is not None:
                    found.selset.merge(item.selset)
            elif isinstance(found, SelFragment) and isinstance(item, SelFragment):
                found.selset.merge(item.selset)

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
