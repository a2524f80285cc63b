"""The policy file schema (strict: an unknown key is an error), as security officers write it.

One YAML file per department (``policies/population.yaml`` …) plus the scope catalogue
(``policies/scopes.yaml``). See ``policies/README.md`` for the reading guide.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gateway.policy.maskers import MASKERS

__all__ = [
    "CatalogueFile",
    "DepartmentFile",
    "FieldModel",
    "GrantModel",
    "NamedPolicyModel",
    "ScopeSets",
    "SharingClass",
    "TypeModel",
]

SharingClass = Literal["public", "unconditional", "conditional", "not_shared"]
PrincipalKindName = Literal["user", "client"]
ScopeSets = list[list[str]]
"""OR of AND-sets: ``[["a", "b"], ["c"]]`` means (a and b) or c."""


def _check_scope_sets(value: ScopeSets | None) -> ScopeSets | None:
    if value is None:
        return None
    if not value or any(not group for group in value):
        raise ValueError("scope sets must be a non-empty list of non-empty lists")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class GrantModel(_Strict):
    """A conditional grant: who (scopes, principal kinds, clients), on which rows, how shown.

    ``arguments`` conditions a grant of a field (a mutation, typically) on the arguments
    the caller passes, in the language of ``where`` with argument names as paths, e.g.
    ``{applicantIdNumber: {equals_claim: sub}}``; checked before planning.
    """

    name: str | None = None
    scopes: ScopeSets | None = None
    principals: list[PrincipalKindName] | None = None
    clients: list[str] | None = None
    where: dict[str, Any] | None = None
    arguments: dict[str, Any] | None = None
    purpose: Literal["required", "optional"] | None = None
    purpose_pattern: str | None = None
    unmasked: bool = False
    unmasked_scopes: ScopeSets | None = None
    note: str | None = None

    _scopes = field_validator("scopes", "unmasked_scopes")(_check_scope_sets)

    @field_validator("purpose_pattern")
    @classmethod
    def _valid_pattern(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) > 200:
            raise ValueError("purpose_pattern is longer than 200 characters")
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"purpose_pattern is not a regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _names_someone(self) -> GrantModel:
        if self.scopes is None and self.clients is None:
            raise ValueError(
                "a grant must name scopes or clients (a grant to everyone is "
                "the unconditional class)"
            )
        return self


class FieldModel(_Strict):
    sharing: SharingClass | None = Field(default=None, alias="class")
    personal: bool = False
    sensitive: bool = False
    mask: str | None = None
    masked_unless: ScopeSets | None = None
    grants: list[GrantModel] | None = None
    note: str | None = None

    _scopes = field_validator("masked_unless")(_check_scope_sets)

    @field_validator("mask")
    @classmethod
    def _known_masker(cls, value: str | None) -> str | None:
        if value is not None and value not in MASKERS:
            raise ValueError(f"unknown masker {value!r}; use one of {', '.join(MASKERS)}")
        return value


class TypeModel(_Strict):
    default: SharingClass | None = None
    data_subject: str | list[str] | None = None
    # A connection type's officer states that its subgraph seals page cursors (they carry
    # no readable key), which silences the check's warning about unconditional cursors.
    cursors: Literal["opaque"] | None = None
    grants: list[GrantModel] | None = None
    fields: dict[str, FieldModel | SharingClass] = Field(default_factory=dict)
    note: str | None = None


class DepartmentFile(_Strict):
    department: str
    officer: str | None = None
    description: str | None = None
    types: dict[str, TypeModel] = Field(default_factory=dict)


class NamedPolicyModel(_Strict):
    """What an ``@policy`` name in the supergraph means here (Apollo leaves it to a coprocessor)."""

    scopes: ScopeSets | None = None
    principals: list[PrincipalKindName] | None = None
    clients: list[str] | None = None
    description: str | None = None

    _scopes = field_validator("scopes")(_check_scope_sets)


class CatalogueFile(_Strict):
    scopes: dict[str, str]
    policies: dict[str, NamedPolicyModel] = Field(default_factory=dict)
