"""Principal: who is calling, as established by token verification at the HTTP edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["ANONYMOUS", "Principal"]

PrincipalKind = Literal["user", "client", "anonymous"]


@dataclass(frozen=True, slots=True)
class Principal:
    """A verified caller.

    ``kind`` is ``user`` for a person (an officer or a citizen), ``client`` for a
    machine-to-machine partner system (client-credentials grant) and ``anonymous``
    when no token was presented. ``department`` and ``county`` (an administrative
    division code such as ``211202``) come from token claims where the issuer sets
    them; row-level policy conditions read them.
    """

    kind: PrincipalKind
    subject: str | None = None
    client_id: str | None = None
    scopes: frozenset[str] = frozenset()
    department: str | None = None
    county: str | None = None
    claims: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def authenticated(self) -> bool:
        return self.kind != "anonymous"

    def has_scopes(self, required: frozenset[str] | set[str]) -> bool:
        return required <= self.scopes


ANONYMOUS = Principal(kind="anonymous")
