"""Spec: the policy store reloads changed files, refuses bad sets, and fails closed."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest
from policy_support import HERE, SCHEMA

from gateway.policy.store import PolicyStore


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(HERE / "fixture_policies", target)
    return target


def edit(path: Path, text: str) -> None:
    path.write_text(text)


def test_a_valid_directory_is_put_in_force(policies: Path) -> None:
    store = PolicyStore(policies, SCHEMA)
    assert not store.current.deny_all
    assert store.current.field_rule("Query", "divisions").sharing == "public"


def test_a_changed_file_is_reloaded_at_most_every_interval(policies: Path) -> None:
    clock = Clock()
    store = PolicyStore(policies, SCHEMA, min_interval=5, clock=clock)
    first = store.get().version
    population = policies / "population.yaml"
    edit(
        population, population.read_text().replace("divisions: public", "divisions: unconditional")
    )
    clock.now = 1
    assert store.get().version == first  # too soon to look
    clock.now = 6
    assert store.get().version != first
    assert store.current.field_rule("Query", "divisions").sharing == "unconditional"


def test_a_set_that_fails_the_check_is_refused_and_the_previous_stays(
    policies: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    store = PolicyStore(policies, SCHEMA, min_interval=0, clock=clock)
    first = store.get().version
    edit(policies / "bad.yaml", "department: bad\ntypes:\n  Nowhere:\n    default: public\n")
    with caplog.at_level(logging.ERROR, logger="govgraph.policy"):
        assert store.get().version == first
    assert "refused" in caplog.text and "unknown type Nowhere" in caplog.text


def test_an_unknown_scope_is_refused(policies: Path) -> None:
    store = PolicyStore(policies, SCHEMA, min_interval=0)
    first = store.current.version
    market = policies / "market_regulation.yaml"
    edit(market, market.read_text().replace("market:penalties", "market:penaltiez"))
    assert not store.reload()
    assert store.current.version == first
    assert any("penaltiez" in f.message for f in store.last_findings)


def test_a_missing_directory_denies_everything_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="govgraph.policy"):
        store = PolicyStore(tmp_path / "gone", SCHEMA)
    assert store.current.deny_all
    assert "denying everything" in caplog.text


def test_a_directory_that_disappears_denies_everything(policies: Path) -> None:
    store = PolicyStore(policies, SCHEMA, min_interval=0)
    shutil.rmtree(policies)
    assert store.get().deny_all


def test_a_first_load_that_fails_the_check_denies_everything(policies: Path) -> None:
    edit(policies / "scopes.yaml", "scopes: {}\n")
    assert PolicyStore(policies, SCHEMA).current.deny_all


async def test_the_watch_task_picks_up_changes(policies: Path) -> None:
    store = PolicyStore(policies, SCHEMA, min_interval=0.01)
    first = store.current.version
    task = asyncio.create_task(store.watch(0.01))
    try:
        population = policies / "population.yaml"
        edit(population, population.read_text() + "\n# reviewed by the officer\n")
        for _ in range(200):
            await asyncio.sleep(0.01)
            if store.current.version != first:
                break
        assert store.current.version != first
    finally:
        task.cancel()
