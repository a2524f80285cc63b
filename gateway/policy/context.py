"""The evaluation context: the principal as the rules see it, recording every attribute read.

What a decision consulted (each scope tested, each claim read, whether a purpose was
given) is exactly what the decision depends on; hashed with the policy version it is the
decision fingerprint. Two principals that agree on everything consulted get the same
fingerprint and may share cached plans, as Apollo does with the intersection of scopes.
The raw token never enters it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.policy.policyset import CompiledGrant, NamedPolicy
from gateway.policy.principal import Principal

__all__ = ["ContextRecord", "EvalContext"]

_ATTRIBUTE_CLAIMS = {
    "sub": "subject",
    "client_id": "client_id",
    "county": "county",
    "department": "department",
}


@dataclass(frozen=True, slots=True)
class ContextRecord:
    """The answers a decision was built on: each scope tested, claim read and fact asked."""

    scopes: tuple[tuple[str, bool], ...]
    claims: tuple[tuple[str, Any], ...]
    facts: tuple[tuple[str, Any], ...]

    def matches(
        self,
        principal: Principal,
        purpose: str | None,
        allow_anonymous: bool,
        variables: Mapping[str, Any] | None = None,
    ) -> bool:
        """Would this caller get the same answers (and so the same decision)?"""
        replay = EvalContext(principal, purpose, allow_anonymous, variables)
        return (
            all(replay.has_scope(scope) == value for scope, value in self.scopes)
            and all(replay.claim(name) == value for name, value in self.claims)
            and all(replay.fact(name) == value for name, value in self.facts)
        )


class EvalContext:
    def __init__(
        self,
        principal: Principal,
        purpose: str | None,
        allow_anonymous: bool,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self._principal = principal
        self._variables = variables or {}
        self._purpose = purpose.strip() if purpose and purpose.strip() else None
        self._allow_anonymous = allow_anonymous
        self._scopes: dict[str, bool] = {}
        self._claims: dict[str, Any] = {}
        self._facts: dict[str, Any] = {}
        self.matched_grants: set[str] = set()

    # -- what the rules may ask -------------------------------------------------------
    def authenticated(self) -> bool:
        value = self._principal.authenticated
        self._facts["authenticated"] = value
        return value

    def anonymous_allowed(self) -> bool:
        self._facts["allow_anonymous"] = self._allow_anonymous
        return self._allow_anonymous

    def kind(self) -> str:
        self._facts["kind"] = self._principal.kind
        return self._principal.kind

    def client_id(self) -> str | None:
        self._facts["client_id"] = self._principal.client_id
        return self._principal.client_id

    def has_scope(self, scope: str) -> bool:
        value = scope in self._principal.scopes
        self._scopes[scope] = value
        return value

    def satisfies(self, alternatives: Iterable[frozenset[str]]) -> bool:
        # Test every scope named so the fingerprint does not depend on evaluation order.
        results = [all([self.has_scope(s) for s in sorted(group)]) for group in alternatives]
        return any(results)

    def has_purpose(self) -> bool:
        self._facts["purpose_given"] = self._purpose is not None
        return self._purpose is not None

    def variable(self, name: str) -> Any:
        # Read only to decide whether a removed field was asked for (@skip/@include).
        value = self._variables.get(name)
        value = value if isinstance(value, bool) else None
        self._facts[f"var:{name}"] = value
        return value

    def variable_value(self, name: str) -> Any:
        # Read by argument conditions of grants: the value itself decides, so it is recorded.
        value = self._variables.get(name)
        self._facts[f"val:{name}"] = value
        return value

    def purpose_matches(self, pattern: str) -> bool:
        # The fingerprint records whether the purpose fits, never the purpose itself.
        value = self._purpose is not None and re.fullmatch(pattern, self._purpose[:200]) is not None
        self._facts[f"purpose~{pattern}"] = value
        return value

    def claim(self, name: str) -> Any:
        attribute = _ATTRIBUTE_CLAIMS.get(name)
        if attribute is not None:
            value = getattr(self._principal, attribute)
            if value is None:
                value = self._principal.claims.get(name)
        else:
            value = self._principal.claims.get(name)
        if isinstance(value, set | frozenset | tuple):
            value = sorted(value, key=str)
        self._claims[name] = value
        return value

    def grant_matches(self, grant: CompiledGrant) -> bool:
        if not self.authenticated():
            return False
        if grant.principals is not None and self.kind() not in grant.principals:
            return False
        if grant.clients is not None and self.client_id() not in grant.clients:
            return False
        if grant.scopes and not self.satisfies(grant.scopes):
            return False
        self.matched_grants.add(grant.source)
        return True

    def named_policy(self, policy: NamedPolicy | None) -> bool:
        if policy is None or not self.authenticated():
            return False
        if policy.principals is not None and self.kind() not in policy.principals:
            return False
        if policy.clients is not None and self.client_id() not in policy.clients:
            return False
        return not policy.scopes or self.satisfies(policy.scopes)

    def fact(self, name: str) -> Any:
        readers = {
            "authenticated": self.authenticated,
            "allow_anonymous": self.anonymous_allowed,
            "kind": self.kind,
            "client_id": self.client_id,
            "purpose_given": self.has_purpose,
        }
        if name.startswith("val:"):
            return self.variable_value(name.removeprefix("val:"))
        if name.startswith("var:"):
            return self.variable(name.removeprefix("var:"))
        if name.startswith("purpose~"):
            return self.purpose_matches(name.removeprefix("purpose~"))
        reader = readers.get(name)
        return reader() if reader is not None else object()

    # -- what the decision records ----------------------------------------------------
    def record(self) -> ContextRecord:
        return ContextRecord(
            tuple(sorted(self._scopes.items())),
            tuple(sorted(self._claims.items(), key=lambda item: item[0])),
            tuple(sorted(self._facts.items(), key=lambda item: item[0])),
        )

    def fingerprint(self, *versions: str) -> str:
        payload = {
            "versions": list(versions),
            "scopes": sorted(self._scopes.items()),
            "claims": sorted(self._claims.items()),
            "facts": sorted(self._facts.items()),
            "grants": sorted(self.matched_grants),
        }
        data = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS, default=str)
        return hashlib.sha256(data).hexdigest()
