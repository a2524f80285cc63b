"""Gateway settings, read from ``GOVGRAPH_*`` environment variables or passed explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["GatewayConfig"]


class GatewayConfig(BaseSettings):
    """Everything the gateway needs to start; defaults suit ``govgraph up`` on one machine."""

    model_config = SettingsConfigDict(env_prefix="GOVGRAPH_", extra="ignore")

    supergraph: Path = Field(default=Path("schema.graphql"), description="supergraph SDL file")
    host: str = "127.0.0.1"
    port: int = 4000
    data_dir: Path = Path("data")

    # Subgraph calls
    subgraph_timeout: float = Field(default=10.0, gt=0, description="seconds per subgraph call")
    subgraph_pool_size: int = Field(default=128, ge=1, description="connections per subgraph")
    subgraph_transport: Literal["pooled", "aiohttp"] = "pooled"
    subgraph_secret: str | None = Field(
        default=None, description="shared HMAC key; when set, every subgraph call is signed"
    )
    subgraph_url_overrides: dict[str, str] = Field(default_factory=dict)

    # Request limits
    max_query_bytes: int = 100_000
    max_depth: int = 25
    max_batch: int = 10
    introspection: bool = True

    # Caches of the hot path (entries)
    document_cache_size: int = 2000
    plan_cache_size: int = 2000

    # Identity and policy (issue: identity, policies, access log)
    auth_mode: Literal["dev", "jwks", "off"] = Field(
        default="off",
        description="dev: built-in issuer; jwks: trust an external issuer; off: no tokens (tests)",
    )
    allow_anonymous: bool = False
    jwt_issuer: str | None = None
    jwt_audience: str = "govgraph"
    jwks_url: str | None = None
    jwks_file: Path | None = None
    clients_file: Path = Path("config/clients.yaml")
    policies_dir: Path | None = None
    policy_mode: Literal["filter", "reject", "dry-run"] = "filter"
    access_log: str | None = Field(default=None, description="file path or postgresql:// URL")

    # Response caching (issue: caching)
    cache_url: str | None = Field(default=None, description="memory:// or redis://host:port/db")
    cache_entities: bool = Field(default=False, description="subgraph-fetch and entity cache")
    cache_responses: bool = Field(default=False, description="whole-response cache")
    cache_dedup: bool = Field(default=False, description="share identical in-flight fetches")
    # TTLs, per-subgraph sharing scopes and the rest: GOVGRAPH_CACHE_* (docs/caching.md).

    # Telemetry
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    otel_endpoint: str | None = None
    service_name: str = "govgraph-gateway"
