"""Identity: verify bearer tokens into Principals, and a built-in OAuth2 issuer."""

from __future__ import annotations

from .claims import principal_from_claims, scopes_from_claims
from .clients import ClientRegistry, RegisteredClient, hash_secret, verify_secret
from .config import IdentityConfig, ScopeClaimMode
from .issuer import DEFAULT_AUDIENCE, DEFAULT_ISSUER, Issuer, OAuthError, TokenGrant
from .keys import FileJwks, JwksSource, KeyCache, UrlJwks
from .oauth_routes import issuer_router
from .signing_key import SigningKey, default_data_dir, load_or_create_signing_key
from .verifier import TokenVerifier, bearer_token

__all__ = [
    "DEFAULT_AUDIENCE",
    "DEFAULT_ISSUER",
    "ClientRegistry",
    "FileJwks",
    "IdentityConfig",
    "Issuer",
    "JwksSource",
    "KeyCache",
    "OAuthError",
    "RegisteredClient",
    "ScopeClaimMode",
    "SigningKey",
    "TokenGrant",
    "TokenVerifier",
    "UrlJwks",
    "bearer_token",
    "default_data_dir",
    "hash_secret",
    "issuer_router",
    "load_or_create_signing_key",
    "principal_from_claims",
    "scopes_from_claims",
    "verify_secret",
]
