"""Cache settings, read from ``GOVGRAPH_CACHE_*`` environment variables or passed explicitly."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SCOPES", "CacheSettings", "Scope", "stricter"]

Scope = Literal["shared", "authorization", "caller", "none"]
"""How a subgraph fetch result is partitioned between callers (docs/caching.md):

- ``shared``: by nothing: the subgraph answers every caller alike (reference registries);
- ``authorization``: by the auth fingerprint and the purpose;
- ``caller``: also by the signed subject and client, i.e. everything a subgraph is told
  about the caller (the default, because the gateway signs them into every call);
- ``none``: never cached.
"""

SCOPES: tuple[Scope, ...] = ("shared", "authorization", "caller", "none")


def stricter(a: Scope, b: Scope) -> Scope:
    """The scope that partitions more finely (``none`` being the finest)."""
    return a if SCOPES.index(a) >= SCOPES.index(b) else b


class CacheSettings(BaseSettings):
    """Which caches run, where they keep entries and for how long.

    The entity/fetch cache and the response cache are off unless switched on: caching
    personal data is a decision an operator makes, not a default.
    """

    model_config = SettingsConfigDict(env_prefix="GOVGRAPH_CACHE_", extra="ignore")

    url: str | None = Field(
        default=None, description="memory:// (default) or redis://host:port/db, shared by instances"
    )
    entities: bool = Field(default=False, description="cache subgraph fetches and entities")
    responses: bool = Field(default=False, description="cache whole query responses")
    # Off unless asked for, like the caches: a plain gateway does exactly the subgraph
    # calls its plans say (the benchmark's uncached baseline relies on that).
    dedup: bool = Field(
        default=False, description="identical in-flight subgraph fetches share one call"
    )
    default_ttl: int = Field(default=60, ge=1, description="seconds, when nothing says less")
    type_ttls: dict[str, int] = Field(
        default_factory=dict, description="seconds per type name, instead of the default"
    )
    default_scope: Scope = "caller"
    subgraph_scopes: dict[str, Scope] = Field(
        default_factory=dict, description="scope per subgraph name (e.g. market_regulation=shared)"
    )
    type_scopes: dict[str, Scope] = Field(default_factory=dict, description="scope per type name")
    memory_max_entries: int = Field(default=50_000, ge=1)
    prefix: str = Field(default="govgraph", min_length=1, description="key namespace in Redis")
    redis_timeout: float = Field(default=0.25, gt=0, description="seconds per Redis operation")
    breaker_seconds: float = Field(
        default=5.0, gt=0, description="after a backend failure, skip it for this long"
    )
    admin_scope: str = "govgraph:admin"

    def scope_for(self, subgraph: str, type_name: str | None = None) -> Scope:
        """The scope of a fetch from ``subgraph`` (of entities of ``type_name``).

        A per-type setting wins over the subgraph's, which wins over the default: a
        department may declare its registry ``shared`` and still keep one type stricter.
        """
        if type_name is not None and type_name in self.type_scopes:
            return self.type_scopes[type_name]
        return self.subgraph_scopes.get(subgraph, self.default_scope)

    def ttl_for(self, type_name: str | None) -> int:
        """The configured time to live: the type's own, else the default (a subgraph's
        ``max-age`` may only shorten it)."""
        if type_name is not None and type_name in self.type_ttls:
            return self.type_ttls[type_name]
        return self.default_ttl
