"""Map verified token claims onto a Principal (kind, subject, client, scopes, department).

The kind rule: a token is a ``client`` token when the issuer says it came from the
client-credentials grant (``gty`` is ``client-credentials`` or ``client_credentials``,
as Auth0 and the built-in issuer set it) or when its subject is the client itself
(``sub`` equals ``client_id``/``azp``, as Keycloak and Okta service accounts do).
Every other verified token is a ``user`` token.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from gateway.errors import UnauthenticatedError
from gateway.policy.principal import Principal

from .config import IdentityConfig, ScopeClaimMode

__all__ = ["CLIENT_CREDENTIALS_GTY", "principal_from_claims", "scopes_from_claims"]

CLIENT_CREDENTIALS_GTY = frozenset({"client-credentials", "client_credentials"})


def _as_scope_set(value: Any, claim: str) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return frozenset(item for item in value if item)
    raise UnauthenticatedError(f"token claim '{claim}' must be a string or a list of strings")


def scopes_from_claims(claims: Mapping[str, Any], mode: ScopeClaimMode) -> frozenset[str]:
    """The scopes a token grants, read from the claim ``mode`` names (see IdentityConfig)."""
    names = ("scope", "scp", "roles") if mode == "auto" else (mode,)
    for name in names:
        if name in claims and claims[name] is not None:
            return _as_scope_set(claims[name], name)
    return frozenset()


def _optional_str(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    raise UnauthenticatedError(f"token claim '{name}' must be a string")


def principal_from_claims(claims: Mapping[str, Any], config: IdentityConfig) -> Principal:
    """Build the Principal for verified ``claims``; raises if a used claim has a bad type."""
    subject = _optional_str(claims, "sub")
    client_id = _optional_str(claims, "client_id") or _optional_str(claims, "azp")
    grant = claims.get("gty")
    is_client = grant in CLIENT_CREDENTIALS_GTY or (client_id is not None and subject == client_id)
    if subject is None and not is_client:
        raise UnauthenticatedError("token has no subject (sub)")
    return Principal(
        kind="client" if is_client else "user",
        subject=subject if subject is not None else client_id,
        client_id=client_id,
        scopes=scopes_from_claims(claims, config.scope_claim),
        department=_optional_str(claims, config.department_claim),
        county=_optional_str(claims, config.county_claim),
        claims=MappingProxyType(dict(claims)),
    )
