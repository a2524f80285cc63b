"""The five department subgraphs of this project compose (SDL taken in-process, the way
their ``_service { sdl }`` prints it), with Person an entity of every department."""

from __future__ import annotations

import importlib.util

import pytest

from gateway.composition import compose
from gateway.composition.sources import DEPARTMENTS, default_sources, department_url

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(f"subgraphs.{d}") is None for d in DEPARTMENTS),
    reason="not every department subgraph exists yet",
)


def test_the_five_departments_compose_without_errors_into_one_person() -> None:
    result = compose(default_sources())
    assert result.errors == []
    sdl = result.supergraph_sdl or ""
    person = sdl[sdl.index("\ntype Person\n") :].split("\n{")[0]
    assert person.strip().splitlines() == [
        "type Person",
        '  @join__type(graph: CIVIL_AFFAIRS, key: "idNumber")',
        '  @join__type(graph: MARKET_REGULATION, key: "idNumber")',
        '  @join__type(graph: POPULATION, key: "idNumber")',
        '  @join__type(graph: REAL_ESTATE, key: "idNumber")',
        '  @join__type(graph: SOCIAL_SECURITY, key: "idNumber")',
    ]


def test_department_urls_default_to_ports_4001_to_4005_unless_overridden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [department_url(d) for d in DEPARTMENTS] == [
        f"http://127.0.0.1:{port}/graphql" for port in range(4001, 4006)
    ]
    monkeypatch.setenv("GOVGRAPH_REAL_ESTATE_URL", "http://estate.internal:8080/graphql")
    assert department_url("real_estate") == "http://estate.internal:8080/graphql"
