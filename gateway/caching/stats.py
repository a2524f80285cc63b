"""Counters of the caches, per level, for /admin/cache/stats, the CLI and the benchmark."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["CacheStats", "LevelStats"]


@dataclass(slots=True)
class LevelStats:
    """What one cache level did since start (plain integers; one event loop updates them)."""

    hits: int = 0
    misses: int = 0
    stores: int = 0
    uncacheable: int = 0  # looked at but not stored: errors, no-store, mutations, scope none
    subgraph_calls_saved: int = 0
    deduplicated: int = 0  # identical in-flight fetches that waited for one call

    @property
    def hit_rate(self) -> float:
        looked = self.hits + self.misses
        return self.hits / looked if looked else 0.0


@dataclass(slots=True)
class CacheStats:
    """All counters: per level (``fetches``, ``entities``, ``responses``) and the backend's."""

    fetches: LevelStats = field(default_factory=LevelStats)
    entities: LevelStats = field(default_factory=LevelStats)
    responses: LevelStats = field(default_factory=LevelStats)
    errors: int = 0  # backend operations that failed
    skipped: int = 0  # backend operations not tried because the breaker was open
    invalidations: int = 0

    def snapshot(self) -> dict[str, object]:
        out: dict[str, object] = asdict(self)
        for level in ("fetches", "entities", "responses"):
            stats: LevelStats = getattr(self, level)
            level_out = out[level]
            assert isinstance(level_out, dict)
            level_out["hit_rate"] = round(stats.hit_rate, 4)
        return out
