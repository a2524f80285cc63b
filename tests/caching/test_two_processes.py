"""Spec: two gateway processes share one Redis cache: filled through one, hit through the
other, and never across authorization contexts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
from cache_graph import CALLS

from gateway.supergraph import Supergraph

HERE = Path(__file__).parent
QUERY = '{ person(idNumber: "211221199003074518") { name phone } }'


def run_process(sdl: Path, policies: Path, log: Path, redis_url: str, prefix: str) -> Any:
    result = subprocess.run(
        [
            sys.executable,
            str(HERE / "cache_instance.py"),
            str(sdl),
            str(policies),
            str(log),
            redis_url,
            prefix,
            QUERY,
        ],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return orjson.loads(result.stdout)


def test_a_response_filled_by_one_process_is_served_by_another(
    graph: Supergraph, policies: Path, tmp_path: Path, redis_url: str, prefix: str
) -> None:
    sdl = tmp_path / "supergraph.graphql"
    sdl.write_text(graph.sdl)
    first = run_process(sdl, policies, tmp_path / "one.jsonl", redis_url, prefix)
    second = run_process(sdl, policies, tmp_path / "two.jsonl", redis_url, prefix)
    masked = {"person": {"name": "李**", "phone": "138****5678"}}
    assert first["response"]["data"] == second["response"]["data"] == masked
    assert first["stats"]["responses"]["stores"] == 1
    assert second["stats"]["responses"]["hits"] == 1
    assert CALLS["population.person"] == 1
    # The second process read personal data from the cache, and logged it all the same.
    assert (tmp_path / "two.jsonl").read_text().count("Person.phone") == 1
