"""The composed supergraph before printing: plain data, in Apollo's element order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["GArgument", "GDirective", "GEnumValue", "GField", "GType", "Supergraph"]

GKind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass(slots=True)
class GDirective:
    """An applied directive with its arguments already printed as GraphQL values."""

    name: str
    args: list[tuple[str, str]] = field(default_factory=list)

    def print(self) -> str:
        if not self.args:
            return f"@{self.name}"
        inner = ", ".join(f"{name}: {value}" for name, value in self.args)
        return f"@{self.name}({inner})"


@dataclass(slots=True)
class GArgument:
    name: str
    type: str
    default: str | None = None
    description: str | None = None
    directives: list[GDirective] = field(default_factory=list)


@dataclass(slots=True)
class GField:
    name: str
    type: str
    args: list[GArgument] = field(default_factory=list)
    description: str | None = None
    directives: list[GDirective] = field(default_factory=list)
    default: str | None = None  # input fields


@dataclass(slots=True)
class GEnumValue:
    name: str
    description: str | None = None
    directives: list[GDirective] = field(default_factory=list)


@dataclass(slots=True)
class GType:
    kind: GKind
    name: str
    description: str | None = None
    directives: list[GDirective] = field(default_factory=list)
    fields: list[GField] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: list[GEnumValue] = field(default_factory=list)

    def field(self, name: str) -> GField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(slots=True)
class Supergraph:
    links: list[GDirective] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)
    directive_definitions: dict[str, str] = field(default_factory=dict)  # name -> printed
    types: dict[str, GType] = field(default_factory=dict)
