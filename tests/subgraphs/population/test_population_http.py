"""The population app served over loopback HTTP, from settings, as ``govgraph subgraph serve``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import orjson
from subgraph_testkit import serve

from gateway.policy.signing import sign_subgraph_request
from subgraphs.common.datagen import Dataset
from subgraphs.common.settings import SubgraphSettings
from subgraphs.population.app import create_app


def _settings(url: str) -> SubgraphSettings:
    return replace(SubgraphSettings.from_env({}), population_db_url=url, subgraph_secret=None)


def test_the_app_answers_queries_from_its_configured_store(
    population_url: str, small_dataset: Dataset
) -> None:
    person = next(small_dataset.persons())
    with serve(create_app(_settings(population_url))) as url:
        health = httpx.get(f"{url}/health")
        response = httpx.post(
            f"{url}/graphql",
            json={"query": f'{{ person(idNumber: "{person.id_number}") {{ name }} }}'},
        )
    assert health.json() == {"status": "ok", "subgraph": "population"}
    assert response.json() == {"data": {"person": {"name": person.name}}}


def test_an_unseeded_store_is_unhealthy_and_queries_fail_without_leaking_sql(
    tmp_path: Path,
) -> None:
    settings = _settings(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    with serve(create_app(settings)) as url:
        health = httpx.get(f"{url}/health")
        response = httpx.post(f"{url}/graphql", json={"query": "{ persons { totalCount } }"})
    assert health.status_code == 503
    assert response.json()["errors"] == [
        {
            "message": "Internal server error",
            "locations": [{"line": 1, "column": 3}],
            "path": ["persons"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
        }
    ]
    assert "hj_ryxx" not in response.text


def test_a_request_signed_as_the_gateway_signs_is_accepted_and_others_refused(
    population_url: str,
) -> None:
    secret = "9f" * 32  # what `govgraph up` puts in GOVGRAPH_SUBGRAPH_SECRET
    settings = replace(
        SubgraphSettings.from_env({"GOVGRAPH_SUBGRAPH_SECRET": secret}),
        population_db_url=population_url,
    )
    body = orjson.dumps({"query": "{ divisions { code } }"})
    # The gateway signs with the configured text's bytes (gateway/app.py).
    headers = sign_subgraph_request(
        body, secret=secret.encode(), subject="officer-1", client_id="portal", purpose="test"
    )
    with serve(create_app(settings)) as url:
        signed = httpx.post(
            f"{url}/graphql", content=body, headers={**headers, "content-type": "application/json"}
        )
        unsigned = httpx.post(f"{url}/graphql", json={"query": "{ divisions { code } }"})
    assert signed.status_code == 200 and len(signed.json()["data"]["divisions"]) == 7
    assert unsigned.status_code == 401
