"""Spec: a security officer changes a policy file while the gateway runs.

A valid change takes effect within seconds and a withdrawn grant stops releasing data
even for a query whose plan the gateway has cached; a broken file is refused and the
previous set stays in force; a missing policy folder shares nothing until it is back.
The gateway reads the stack's own copy of policies/, so the working tree is untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_stack import Stack

RELOAD_DEADLINE = 20.0  # seconds: the store looks at the files every 2 s
OFFICER_MAY_READ_PENALTIES = """
      penalties:
        class: conditional
        grants:
          - {name: market-staff, scopes: [["market:penalties"]]}
          - {name: dibao-officers-see-penalties, scopes: [["civil_affairs:officer"]]}
          - name: provincial-exchange"""


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + RELOAD_DEADLINE
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} (waited {RELOAD_DEADLINE:.0f} s)", pytrace=False)
        time.sleep(0.25)


def penalties_query(stack: Stack) -> str:
    enterprise = sorted(stack.truth.enterprises)[0]
    return f'{{ enterprise(creditCode: "{enterprise}") {{ name penalties {{ reason }} }} }}'


def officer_reads_penalties(stack: Stack) -> bool:
    body: dict[str, Any] = stack.ask(penalties_query(stack), token=stack.officer("211202"))
    return "errors" not in body


@pytest.fixture
def market_policy(stack: Stack) -> Iterator[Path]:
    """market_regulation.yaml of the running gateway, restored (and in force) afterwards."""
    path = stack.policies / "market_regulation.yaml"
    original = path.read_text(encoding="utf-8")
    yield path
    path.write_text(original, encoding="utf-8")
    eventually(lambda: not officer_reads_penalties(stack), "the original market policy came back")


def test_a_new_grant_takes_effect_and_a_withdrawn_one_stops_releasing_data(
    stack: Stack, market_policy: Path
) -> None:
    original = market_policy.read_text(encoding="utf-8")
    for _ in range(2):  # a cached plan for the denied view
        assert not officer_reads_penalties(stack), "precondition: officers may not see fines"
    granting = original.replace(
        """
      penalties:
        class: conditional
        grants:
          - {name: market-staff, scopes: [["market:penalties"]]}
          - name: provincial-exchange""",
        OFFICER_MAY_READ_PENALTIES,
    )
    assert granting != original, "the market policy changed shape; update this spec"
    market_policy.write_text(granting, encoding="utf-8")
    eventually(lambda: officer_reads_penalties(stack), "the new grant never took effect")
    for _ in range(2):  # a cached plan for the granted view
        assert officer_reads_penalties(stack)
    market_policy.write_text(original, encoding="utf-8")
    eventually(
        lambda: not officer_reads_penalties(stack),
        "penalties were still released to officers after the grant was withdrawn",
    )


def test_a_broken_policy_file_is_refused_and_the_previous_set_stays_in_force(
    stack: Stack, market_policy: Path
) -> None:
    resident = stack.truth.resident_of("211202")
    query = f'{{ person(idNumber: "{resident.id_number}") {{ name }} }}'
    officer = stack.officer("211202")
    before = len(stack.log_records())
    assert "errors" not in stack.ask(query, token=officer, purpose="DB-reload")
    version = stack.log_records()[before]["policy_version"]
    # A misspelt key must never silently weaken a rule: the whole set is refused.
    market_policy.write_text(
        market_policy.read_text(encoding="utf-8").replace("class: conditional", "clas: public"),
        encoding="utf-8",
    )
    time.sleep(2.5)  # past the store's look at the files
    before = len(stack.log_records())
    assert "errors" not in stack.ask(query, token=officer, purpose="DB-reload")
    assert not officer_reads_penalties(stack), "the broken file's weakened rule was applied"
    assert stack.log_records()[before]["policy_version"] == version


def test_without_its_policy_folder_the_gateway_shares_nothing_until_it_is_back(
    stack: Stack,
) -> None:
    moved = stack.policies.with_name("policies-away")
    registry = "{ enterprises(first: 1) { nodes { name } } }"
    officer = stack.officer("211202")
    assert "errors" not in stack.ask(registry, token=officer)
    stack.policies.rename(moved)
    try:
        eventually(
            lambda: "errors" in stack.ask(registry, token=officer),
            "the registry was still shared with the policy folder gone",
        )
    finally:
        moved.rename(stack.policies)
    eventually(
        lambda: "errors" not in stack.ask(registry, token=officer),
        "sharing did not resume when the policy folder came back",
    )
