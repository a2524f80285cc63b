"""govgraph's query planning time for one query, measured in this process; prints JSON.

    python bench/plan_time.py SUPERGRAPH QUERY_FILE [ITERATIONS]

cold: the first plan on a fresh ``QueryPlanner`` (median over fresh planners; the very
first plan of the process is reported too). warm: re-planning on a warm planner, what
a plan-cache miss costs. cached: a hit in an LRU plan cache keyed as the gateway's
pipeline keys it (query text, operation name, supergraph hash).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

__all__ = ["main"]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def main(argv: list[str]) -> int:
    supergraph_file, query_file = Path(argv[0]), Path(argv[1])
    iterations = int(argv[2]) if len(argv) > 2 else 50
    from graphql import parse

    from gateway.caching.lru import LRUCache
    from gateway.planner import QueryPlanner
    from gateway.supergraph import Supergraph

    sdl = supergraph_file.read_text(encoding="utf-8")
    query = query_file.read_text(encoding="utf-8")
    start = time.perf_counter()
    supergraph = Supergraph.from_sdl(sdl)
    load_ms = _ms(start)
    start = time.perf_counter()
    document = parse(query)
    parse_ms = _ms(start)

    cold: list[float] = []
    for _ in range(max(3, iterations // 10)):
        planner = QueryPlanner(supergraph)
        start = time.perf_counter()
        plan = planner.plan(document, "TestQuery")
        cold.append(_ms(start))
    planner = QueryPlanner(supergraph)
    planner.plan(document, "TestQuery")
    warm = []
    for _ in range(iterations):
        start = time.perf_counter()
        planner.plan(document, "TestQuery")
        warm.append(_ms(start))

    cache: LRUCache[tuple[str, str | None, str], object] = LRUCache(2000)
    key = (query, "TestQuery", str(getattr(supergraph, "hash", "")))
    cache.put(key, plan)
    hits = []
    for _ in range(iterations):
        start = time.perf_counter()
        found = cache.get(key)
        hits.append(_ms(start))
        assert found is plan
    print(
        json.dumps(
            {
                "supergraph_load_ms": load_ms,
                "parse_ms": parse_ms,
                "first_plan_in_process_ms": cold[0],
                "cold_ms": statistics.median(cold),
                "warm_replan_ms": statistics.median(warm),
                "cached_ms": statistics.median(hits),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
