"""The policy set in memory: one compiled rule per field coordinate (see ``loader.py``).

Deny by default: a coordinate no file mentions, in a type no file gives a default, is
``not_shared``. The version id is a hash of the files' bytes; it enters decision
fingerprints, cache keys and the access log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from gateway.policy.conditions import Condition
from gateway.policy.model import ScopeSets, SharingClass

__all__ = [
    "CompiledGrant",
    "FieldRule",
    "NamedPolicy",
    "PolicySet",
    "ScopeAlternatives",
    "TypeRule",
    "deny_all_policy",
    "scope_alternatives",
]

ScopeAlternatives = tuple[frozenset[str], ...]


def scope_alternatives(sets: ScopeSets | None) -> ScopeAlternatives:
    return tuple(frozenset(group) for group in sets or ())


@dataclass(frozen=True, slots=True)
class CompiledGrant:
    name: str
    source: str
    scopes: ScopeAlternatives  # empty: no scope requirement (clients name the holder)
    principals: frozenset[str] | None
    clients: frozenset[str] | None
    where: Condition | None
    purpose: Literal["required", "optional"] | None
    purpose_pattern: str | None
    unmasked: bool
    unmasked_scopes: ScopeAlternatives
    # Only calls whose arguments meet this (None: any arguments); see GrantModel.
    arguments: Condition | None = None


@dataclass(frozen=True, slots=True)
class FieldRule:
    coordinate: str
    sharing: SharingClass
    source: str
    personal: bool = False
    sensitive: bool = False
    mask: str | None = None
    masked_unless: ScopeAlternatives = ()
    grants: tuple[CompiledGrant, ...] = ()


@dataclass(frozen=True, slots=True)
class TypeRule:
    name: str
    default: SharingClass | None = None
    default_source: str | None = None
    default_grants: tuple[CompiledGrant, ...] = ()
    data_subject: tuple[str, ...] = ()  # field paths naming whose data an object is
    opaque_cursors: bool = False  # declared: the subgraph seals this connection's cursors


@dataclass(frozen=True, slots=True)
class NamedPolicy:
    name: str
    scopes: ScopeAlternatives
    principals: frozenset[str] | None
    clients: frozenset[str] | None


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Compiled rules. ``problems`` lists what the loader refused; ``deny_all`` fails closed."""

    version: str
    fields: Mapping[str, FieldRule]
    types: Mapping[str, TypeRule]
    scope_catalogue: frozenset[str] = frozenset()
    named_policies: Mapping[str, NamedPolicy] = field(default_factory=lambda: MappingProxyType({}))
    sources: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    deny_all: bool = False

    def field_rule(self, type_name: str, field_name: str) -> FieldRule:
        coordinate = f"{type_name}.{field_name}"
        if self.deny_all:
            return FieldRule(coordinate, "not_shared", "policy unavailable: deny everything")
        rule = self.fields.get(coordinate)
        if rule is not None:
            return rule
        type_rule = self.types.get(type_name)
        if type_rule is not None and type_rule.default is not None:
            return FieldRule(
                coordinate,
                type_rule.default,
                type_rule.default_source or "",
                grants=type_rule.default_grants,
            )
        return FieldRule(coordinate, "not_shared", "global default (deny by default)")

    def row_protected(self, type_name: str, field_names: tuple[str, ...]) -> bool:
        """Does a grant of a conditional field of the type carry a row condition?

        Then every object of the type is row-gated (see ``VerdictBook.row_gate``).
        """
        for field_name in field_names:
            rule = self.field_rule(type_name, field_name)
            if rule.sharing == "conditional" and any(g.where is not None for g in rule.grants):
                return True
        return False

    def data_subjects(self, type_name: str) -> tuple[str, ...]:
        type_rule = self.types.get(type_name)
        return type_rule.data_subject if type_rule else ()


def deny_all_policy(reason: str) -> PolicySet:
    """The policy in force when no valid set could ever be loaded: nothing is shared."""
    version = "deny-all:" + hashlib.sha256(reason.encode()).hexdigest()[:12]
    return PolicySet(
        version, MappingProxyType({}), MappingProxyType({}), problems=(reason,), deny_all=True
    )
