"""The built-in OAuth2 issuer for development and small deployments.

It signs short-lived JWTs with its own key (``signing_key``) for two kinds of caller:

- partner systems, through the client-credentials grant (``client_credentials``), with
  the claims ``sub = client_id = <id>`` and ``gty = client-credentials``, so the verifier
  makes them ``client`` principals;
- people, minted directly for demos by ``govgraph token user`` (``mint_user_token``).

In production the gateway trusts an external issuer through ``jwks_url`` instead; the
tokens have the same shape, so nothing downstream can tell the difference.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clients import ClientRegistry
from .config import IdentityConfig
from .jose import JsonWebToken
from .signing_key import SigningKey, default_data_dir, load_or_create_signing_key

__all__ = [
    "DEFAULT_AUDIENCE",
    "DEFAULT_ISSUER",
    "Issuer",
    "OAuthError",
    "TokenGrant",
]

log = logging.getLogger(__name__)

DEFAULT_ISSUER = "http://127.0.0.1:4000"
DEFAULT_AUDIENCE = "govgraph"
DEFAULT_CLIENT_TTL = 15 * 60
MAX_TTL = 24 * 3600


class OAuthError(Exception):
    """An RFC 6749 §5.2 error response (``error`` code, description, HTTP status)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def to_dict(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """A successful token response (RFC 6749 §5.1)."""

    access_token: str
    expires_in: int
    scope: str
    token_type: str = "Bearer"

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
            "scope": self.scope,
        }


def _scope_text(scopes: Iterable[str]) -> str:
    return " ".join(sorted(scopes))


class Issuer:
    """Signs tokens for registered clients and demo users (see the module docstring)."""

    def __init__(
        self,
        *,
        key: SigningKey,
        clients: ClientRegistry,
        issuer: str = DEFAULT_ISSUER,
        audience: str = DEFAULT_AUDIENCE,
        client_token_ttl: int = DEFAULT_CLIENT_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.key = key
        self.clients = clients
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.client_token_ttl = client_token_ttl
        self.clock = clock
        self._jwt = JsonWebToken([key.algorithm])

    @classmethod
    def open(
        cls,
        *,
        data_dir: Path | None = None,
        clients_file: Path | None = Path("config/clients.yaml"),
        issuer: str | None = None,
        audience: str = DEFAULT_AUDIENCE,
        client_token_ttl: int = DEFAULT_CLIENT_TTL,
    ) -> Issuer:
        """The issuer with its key under ``data_dir`` and clients from ``clients_file``.

        ``issuer`` (the ``iss`` claim, the gateway's base URL) defaults to ``DEFAULT_ISSUER``.
        """
        clients = ClientRegistry()
        if clients_file is not None:
            if clients_file.exists():
                clients = ClientRegistry.from_yaml(clients_file)
            else:
                log.warning(
                    "client registry %s does not exist: no client can get a token", clients_file
                )
        return cls(
            key=load_or_create_signing_key(data_dir or default_data_dir()),
            clients=clients,
            issuer=issuer or DEFAULT_ISSUER,
            audience=audience,
            client_token_ttl=client_token_ttl,
        )

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/oauth/token"

    def identity_config(self, **overrides: Any) -> IdentityConfig:
        """An IdentityConfig that trusts this issuer through its published JWKS file."""
        settings: dict[str, Any] = {
            "issuer": self.issuer,
            "audience": self.audience,
            "jwks_file": self.key.jwks_path,
        }
        settings.update(overrides)
        return IdentityConfig(**settings)

    def mint(self, claims: Mapping[str, Any], *, ttl: int) -> str:
        """Sign ``claims`` plus iss/aud/iat/nbf/exp/jti; ``ttl`` in seconds (max one day)."""
        if not 0 < ttl <= MAX_TTL:
            raise ValueError(f"token lifetime must be between 1 and {MAX_TTL} seconds")
        now = int(self.clock())
        payload = {
            **claims,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        header = {"alg": self.key.algorithm, "kid": self.key.kid, "typ": "JWT"}
        token: bytes = self._jwt.encode(header, payload, self.key.key, check=False)
        return token.decode()

    def mint_user_token(
        self,
        subject: str,
        scopes: Iterable[str],
        *,
        department: str | None = None,
        county: str | None = None,
        name: str | None = None,
        client_id: str | None = None,
        ttl: int = 3600,
    ) -> str:
        """A token for a person (an officer id or a resident identity number), for demos."""
        if not subject.strip():
            raise ValueError("a user token needs a subject")
        claims: dict[str, Any] = {"sub": subject, "scope": _scope_text(scopes)}
        optional = {"department": department, "county": county, "name": name, "azp": client_id}
        claims.update({k: v for k, v in optional.items() if v is not None})
        return self.mint(claims, ttl=ttl)

    def client_credentials(
        self, client_id: str, client_secret: str, scope: str | None = None
    ) -> TokenGrant:
        """Run the client-credentials grant (RFC 6749 §4.4) for an authenticated client.

        Granted scopes are the requested ones the client is allowed, or all it is allowed
        when none are requested; asking only for scopes it is not allowed is
        ``invalid_scope``.
        """
        client = self.clients.authenticate(client_id, client_secret)
        if client is None:
            raise OAuthError("invalid_client", "client authentication failed", status=401)
        requested = frozenset(scope.split()) if scope else frozenset()
        granted = requested & client.scopes if requested else client.scopes
        if requested and not granted:
            raise OAuthError("invalid_scope", "none of the requested scopes is allowed")
        claims: dict[str, Any] = {
            "sub": client.client_id,
            "client_id": client.client_id,
            "gty": "client-credentials",
            "scope": _scope_text(granted),
        }
        if client.department is not None:
            claims["department"] = client.department
        if client.county is not None:
            claims["county"] = client.county
        token = self.mint(claims, ttl=self.client_token_ttl)
        return TokenGrant(token, self.client_token_ttl, _scope_text(granted))

    def jwks(self) -> dict[str, Any]:
        return self.key.public_jwks()

    def metadata(self) -> dict[str, Any]:
        """Authorization server metadata (RFC 8414)."""
        return {
            "issuer": self.issuer,
            "token_endpoint": self.token_endpoint,
            "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
            ],
            "response_types_supported": [],
            "scopes_supported": sorted(self.clients.all_scopes()),
        }
