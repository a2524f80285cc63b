"""IdentityConfig: which issuer the gateway trusts, and how its claims map to a Principal."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["ASYMMETRIC_ALGORITHMS", "IdentityConfig", "ScopeClaimMode"]

ScopeClaimMode = Literal["scope", "scp", "roles", "auto"]

# Only public-key algorithms: the gateway never holds a shared secret with an issuer, so an
# HMAC or ``none`` token can only be an attack (RFC 8725 §2.1, algorithm confusion).
ASYMMETRIC_ALGORITHMS: frozenset[str] = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class IdentityConfig(BaseModel):
    """How to verify bearer tokens.

    Exactly one of ``jwks_file`` and ``jwks_url`` names the issuer's public keys.
    ``scope_claim`` says where scopes are: ``scope`` (a space-separated string, RFC 8693),
    ``scp`` (an array, common in Azure AD/Okta), ``roles`` (an array, Keycloak-style) or
    ``auto`` (the first of those present, in that order).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(min_length=1)
    audience: str = Field(min_length=1)
    jwks_file: Path | None = None
    jwks_url: str | None = None
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")
    leeway: int = Field(default=30, ge=0, le=600, description="clock skew allowed, seconds")
    scope_claim: ScopeClaimMode = "auto"
    department_claim: str = "department"
    county_claim: str = "county"
    allow_anonymous: bool = False
    jwks_cache_seconds: float = Field(default=600.0, gt=0, description="keys refetched after")
    jwks_min_refresh_seconds: float = Field(
        default=30.0, ge=0, description="an unknown kid refetches keys at most this often"
    )
    jwks_timeout: float = Field(default=5.0, gt=0)
    verified_cache_size: int = Field(
        default=10_000, ge=0, description="recently verified tokens kept (0: verify every time)"
    )
    verified_cache_seconds: float = Field(
        default=60.0, ge=0, description="a cached verification is redone after this long"
    )

    @field_validator("algorithms")
    @classmethod
    def _only_asymmetric(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one algorithm must be allowed")
        refused = [alg for alg in value if alg not in ASYMMETRIC_ALGORITHMS]
        if refused:
            raise ValueError(
                f"algorithms {refused} are not allowed: only public-key algorithms "
                f"({', '.join(sorted(ASYMMETRIC_ALGORITHMS))}) can be trusted"
            )
        return value

    @model_validator(mode="after")
    def _one_key_source(self) -> IdentityConfig:
        if (self.jwks_file is None) == (self.jwks_url is None):
            raise ValueError("set exactly one of jwks_file and jwks_url")
        if self.jwks_url is not None and not self.jwks_url.startswith(("https://", "http://")):
            raise ValueError("jwks_url must be an http(s) URL")
        return self
