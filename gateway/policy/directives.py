"""Apollo's authorization directives, read from the supergraph SDL (the API schema drops them).

``@authenticated``, ``@requiresScopes(scopes: [[...]])`` and ``@policy(policies: [[...]])``
on fields, objects, interfaces, scalars and enums, with Apollo's semantics: a field needs
its own requirements and those of the type it returns; the requirements of a type also
guard fragments on that type. A name renamed through ``@link(import: [{name, as}])`` or
``@link(as:)`` is followed. They combine with the policy files by AND.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    parse,
    value_from_ast_untyped,
)

__all__ = ["NO_REQUIREMENT", "Requirement", "SecurityDirectives", "parse_security_directives"]

Alternatives = tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Requirement:
    """All of: authenticated (if set), each scope OR-of-AND-sets, each policy OR-of-AND-sets."""

    authenticated: bool = False
    scopes: tuple[Alternatives, ...] = ()
    policies: tuple[Alternatives, ...] = ()

    def __and__(self, other: Requirement) -> Requirement:
        return Requirement(
            self.authenticated or other.authenticated,
            self.scopes + other.scopes,
            self.policies + other.policies,
        )

    @property
    def empty(self) -> bool:
        return not (self.authenticated or self.scopes or self.policies)

    def describe(self) -> str:
        parts = ["@authenticated"] if self.authenticated else []
        parts += [f"@requiresScopes({_sets(alt)})" for alt in self.scopes]
        parts += [f"@policy({_sets(alt)})" for alt in self.policies]
        return " ".join(parts) or "none"


def _sets(alternatives: Alternatives) -> str:
    return " or ".join("[" + ", ".join(sorted(group)) + "]" for group in alternatives)


NO_REQUIREMENT = Requirement()


@dataclass(frozen=True, slots=True)
class SecurityDirectives:
    version: str
    types: Mapping[str, Requirement] = field(default_factory=lambda: MappingProxyType({}))
    fields: Mapping[str, Requirement] = field(default_factory=lambda: MappingProxyType({}))

    def for_type(self, type_name: str) -> Requirement:
        return self.types.get(type_name, NO_REQUIREMENT)

    def for_field(self, type_name: str, field_name: str) -> Requirement:
        return self.fields.get(f"{type_name}.{field_name}", NO_REQUIREMENT)


_SPECS = {"authenticated": "authenticated", "requiresScopes": "requiresScopes", "policy": "policy"}


def _link_names(document: DocumentNode) -> dict[str, str]:
    """Map local directive names to the spec directive they stand for."""
    names = dict(_SPECS)
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value != "link":
                continue
            args = {
                arg.name.value: value_from_ast_untyped(arg.value)
                for arg in directive.arguments or ()
            }
            url = str(args.get("url", ""))
            spec = next((name for name in _SPECS if f"/{name}/" in url), None)
            if spec is None:
                continue
            if isinstance(args.get("as"), str):
                names.pop(spec, None)
                names[str(args["as"])] = spec
            for item in args.get("import") or ():
                if isinstance(item, dict) and item.get("name") == f"@{spec}" and item.get("as"):
                    names.pop(spec, None)
                    names[str(item["as"]).lstrip("@")] = spec
    return names


def _alternatives(value: Any, argument: str, where: str) -> Alternatives:
    if (
        not isinstance(value, list)
        or not value
        or not all(
            isinstance(group, list) and group and all(isinstance(item, str) for item in group)
            for group in value
        )
    ):
        raise ValueError(f"{where}: {argument} must be a non-empty list of non-empty lists")
    return tuple(frozenset(group) for group in value)


def _requirement(
    directives: tuple[DirectiveNode, ...], names: Mapping[str, str], where: str
) -> Requirement:
    result = NO_REQUIREMENT
    for directive in directives:
        spec = names.get(directive.name.value)
        if spec is None:
            continue
        args = {
            arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()
        }
        if spec == "authenticated":
            result &= Requirement(authenticated=True)
        elif spec == "requiresScopes":
            result &= Requirement(scopes=(_alternatives(args.get("scopes"), "scopes", where),))
        else:
            result &= Requirement(
                policies=(_alternatives(args.get("policies"), "policies", where),)
            )
    return result


def _canon(requirements: tuple[Alternatives, ...]) -> list[list[list[str]]]:
    # frozenset order depends on the hash seed; sort so the version is stable across runs.
    return [sorted(sorted(group) for group in alt) for alt in requirements]


_TYPE_NODES = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
)


def parse_security_directives(supergraph_sdl: str) -> SecurityDirectives:
    """Collect the requirements per type and per ``Type.field``; raise ValueError if malformed."""
    document = parse(supergraph_sdl, no_location=True)
    names = _link_names(document)
    types: dict[str, Requirement] = {}
    fields: dict[str, Requirement] = {}
    for definition in document.definitions:
        if not isinstance(definition, _TYPE_NODES):
            continue
        type_name = definition.name.value
        own = _requirement(tuple(definition.directives or ()), names, type_name)
        if not own.empty:
            types[type_name] = types.get(type_name, NO_REQUIREMENT) & own
        for field_node in getattr(definition, "fields", None) or ():
            coordinate = f"{type_name}.{field_node.name.value}"
            req = _requirement(tuple(field_node.directives or ()), names, coordinate)
            if not req.empty:
                fields[coordinate] = fields.get(coordinate, NO_REQUIREMENT) & req
    canonical = repr(
        sorted(
            (key, req.authenticated, _canon(req.scopes), _canon(req.policies))
            for key, req in [*(("type " + k, v) for k, v in types.items()), *fields.items()]
        )
    )
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return SecurityDirectives(version, MappingProxyType(types), MappingProxyType(fields))
