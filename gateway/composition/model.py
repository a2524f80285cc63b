"""The subgraph model composition works on: types, fields and directive applications by
their federation meaning, whatever names the subgraph imported them under."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import ValueNode, print_ast, value_from_ast_untyped

__all__ = [
    "Applied",
    "Key",
    "Link",
    "SArgument",
    "SEnumValue",
    "SField",
    "SType",
    "Subgraph",
    "TypeKind",
    "named_type",
]

TypeKind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass(slots=True)
class Applied:
    """A directive application; ``name`` is the canonical federation name (``key``) for
    federation directives and the subgraph's own name for anything else."""

    name: str
    args: dict[str, ValueNode] = field(default_factory=dict)
    on_extension: bool = False  # applied on an ``extend`` definition

    def value(self, arg: str, default: Any = None) -> Any:
        node = self.args.get(arg)
        return default if node is None else value_from_ast_untyped(node)

    def printed_args(self) -> list[tuple[str, str]]:
        return [(name, print_ast(node)) for name, node in self.args.items()]


@dataclass(slots=True)
class SArgument:
    name: str
    type: str
    default: str | None = None
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)


@dataclass(slots=True)
class SField:
    name: str
    type: str
    args: dict[str, SArgument] = field(default_factory=dict)
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    default: str | None = None  # input fields only
    from_extension: bool = False
    shareable_by_type: bool = False

    def has(self, directive: str) -> bool:
        return any(d.name == directive for d in self.directives)

    def first(self, directive: str) -> Applied | None:
        return next((d for d in self.directives if d.name == directive), None)


@dataclass(slots=True)
class SEnumValue:
    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)


@dataclass(slots=True)
class Key:
    fields: str
    resolvable: bool = True


@dataclass(slots=True)
class SType:
    kind: TypeKind
    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    fields: dict[str, SField] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, SEnumValue] = field(default_factory=dict)
    has_definition: bool = False
    has_extension: bool = False

    def has(self, directive: str) -> bool:
        return any(d.name == directive for d in self.directives)

    @property
    def keys(self) -> list[Key]:
        return [
            Key(str(d.value("fields", "")), bool(d.value("resolvable", True)))
            for d in self.directives
            if d.name == "key"
        ]

    @property
    def is_extension(self) -> bool:
        """Apollo's ``extension: true``: declared only through ``extend`` or ``@extends``."""
        return self.has("extends") or (self.has_extension and not self.has_definition)

    @property
    def is_interface_object(self) -> bool:
        return self.kind == "object" and self.has("interfaceObject")


@dataclass(slots=True)
class Link:
    """A non-federation ``@link`` a subgraph declares (kept for composed directives)."""

    url: str
    imports: list[str]


@dataclass(slots=True)
class Subgraph:
    name: str
    url: str
    fed2: bool
    version: tuple[int, int] = (1, 0)  # federation spec version linked
    types: dict[str, SType] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)  # operation -> type name (renamed)
    links: list[Link] = field(default_factory=list)
    composed: dict[str, str] = field(default_factory=dict)  # local directive -> link url
    directive_defs: dict[str, Any] = field(default_factory=dict)  # name -> DirectiveDefinitionNode
    # fields made not-external by Apollo's rules (key fields of extensions), "Type.field"
    fake_external: set[str] = field(default_factory=set)
    used_by_own_field_sets: set[str] = field(default_factory=set)
    provided: set[str] = field(default_factory=set)
    key_fields: set[str] = field(default_factory=set)

    def field(self, type_name: str, field_name: str) -> SField | None:
        t = self.types.get(type_name)
        return None if t is None else t.fields.get(field_name)

    def is_external(self, type_name: str, f: SField) -> bool:
        return f.has("external") and f"{type_name}.{f.name}" not in self.fake_external

    def is_shareable(self, type_name: str, f: SField) -> bool:
        coord = f"{type_name}.{f.name}"
        if not self.fed2:
            return True  # Federation 1 subgraphs share every field
        return (
            f.has("shareable")
            or f.shareable_by_type
            or coord in self.key_fields
            or coord in self.provided
        )


def named_type(ref: str) -> str:
    return ref.replace("[", "").replace("]", "").replace("!", "")
