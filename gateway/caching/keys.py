"""Every cache key, built in one place.

A key is ``<prefix>:<kind>:<schema>:<policy>:<partition>:<payload digest>``: the schema
hash and the policy version are in every key that holds data, so a schema reload or a
policy edit makes older entries unreachable without a flush; the partition is the
caller's authorization context (:func:`partition`), never the raw token. Invalidation
keys (``<prefix>:gen:…``) are generation counters: they carry no version, because an
invalidation must outlive a reload.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.caching.settings import Scope

__all__ = ["CallerContext", "KeySpace", "canonical", "digest", "entity_id", "partition"]

_SEP = b"\x00"


def canonical(value: Any) -> bytes:
    """Stable JSON: sorted object keys, so equal values give equal bytes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(_SEP)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class CallerContext:
    """What keys may depend on about one request (read from the pipeline's RequestContext)."""

    schema_hash: str = ""
    policy_version: str = ""
    fingerprint: str = ""
    purpose: str | None = None
    subject: str | None = None
    client_id: str | None = None
    # The rest of what the gateway signs into a subgraph call (gateway.policy.signing):
    signed_facts: str = ""

    @classmethod
    def of(cls, context: Any) -> CallerContext:
        """From a ``RequestContext`` (or anything shaped like it; None gives the empty one)."""
        if context is None:
            return cls()
        principal = getattr(context, "principal", None)
        purpose = getattr(context, "purpose", None)
        return cls(
            schema_hash=getattr(context, "schema_hash", "") or "",
            policy_version=getattr(context, "policy_version", "") or "",
            fingerprint=getattr(context, "auth_fingerprint", "") or "",
            purpose=purpose.strip() or None if isinstance(purpose, str) else None,
            subject=getattr(principal, "subject", None),
            client_id=getattr(principal, "client_id", None),
            signed_facts="|".join(
                [
                    str(getattr(principal, "kind", "") or ""),
                    str(getattr(principal, "county", "") or ""),
                    str(getattr(principal, "department", "") or ""),
                    " ".join(sorted(getattr(principal, "scopes", ()) or ())),
                ]
            ),
        )


def partition(caller: CallerContext, scope: Scope) -> str:
    """The caller part of a key for ``scope`` (``shared``: none at all)."""
    if scope == "shared":
        return "-"
    parts = [caller.fingerprint, caller.purpose or ""]
    if scope != "authorization":
        # Everything the gateway signs into a subgraph call: a subgraph may answer by it.
        parts += [caller.subject or "", caller.client_id or "", caller.signed_facts]
    return digest(scope, *parts)[:32]


def entity_id(type_name: str, key_fields: Mapping[str, Any]) -> str:
    """One entity, independent of how its key values were typed (``5`` and ``"5"`` agree)."""
    return digest(type_name, canonical(_stringify(dict(key_fields))))[:32]


def _stringify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items() if k != "__typename"}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    return value if value is None else str(value)


class KeySpace:
    """Key builders under one namespace (``prefix``, e.g. ``govgraph``)."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str = "govgraph") -> None:
        self.prefix = prefix

    def _versioned(self, kind: str, caller: CallerContext) -> str:
        policy = digest(caller.policy_version)[:12] if caller.policy_version else "-"
        return f"{self.prefix}:{kind}:{caller.schema_hash[:16] or '-'}:{policy}"

    def fetch(
        self,
        caller: CallerContext,
        scope: Scope,
        subgraph: str,
        operation: str,
        representation: bytes | None = None,
    ) -> str:
        """A subgraph fetch result (``representation`` None) or one entity of a fetch.

        ``operation`` is the digest of the subgraph operation text, its name and its
        variables other than the representations.
        """
        prefix = self.fetch_prefix(caller, scope, subgraph, entity=representation is not None)
        return prefix + digest(operation, representation or b"")[:40]

    def fetch_prefix(
        self, caller: CallerContext, scope: Scope, subgraph: str, *, entity: bool
    ) -> str:
        """Everything of a fetch key but the payload digest: computed once per fetch, it
        spares a hash per representation (see :meth:`fetch`)."""
        kind = "e" if entity else "f"
        return f"{self._versioned(kind, caller)}:{partition(caller, scope)}:{subgraph}:"

    @staticmethod
    def entity_payload(operation: str, representation: bytes) -> str:
        return digest(operation, representation)[:40]

    def response(
        self,
        caller: CallerContext,
        scope: Scope,
        operation_key: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> str:
        """A whole response: the client operation, its name and its variables, canonical."""
        payload = digest(operation_key, operation_name or "", canonical(dict(variables)))[:40]
        return f"{self._versioned('r', caller)}:{partition(caller, scope)}:{payload}"

    def type_generation(self, type_name: str) -> str:
        """Bumped to invalidate every entry that touches ``type_name``."""
        return f"{self.prefix}:gen:t:{type_name}"

    def aggregate_generation(self, type_name: str) -> str:
        """Bumped when one entity of the type changes: entries that hold many entities (root
        fetches, whole responses) cannot tell which, so they all go stale."""
        return f"{self.prefix}:gen:a:{type_name}"

    def entity_generation(self, type_name: str, key_fields: Mapping[str, Any]) -> str:
        return f"{self.prefix}:gen:e:{type_name}:{entity_id(type_name, key_fields)}"

    def plan(
        self, caller: CallerContext, operation_key: str, operation_name: str | None
    ) -> tuple[str, str, str, str | None, str]:
        """The in-process plan cache key: schema, policy, operation and fingerprint."""
        return (
            caller.schema_hash,
            caller.policy_version,
            operation_key,
            operation_name,
            caller.fingerprint,
        )
