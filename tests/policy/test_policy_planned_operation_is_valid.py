"""Spec: the operation handed to the planner is always valid against the API schema."""

from __future__ import annotations

import pytest
from graphql import validate
from policy_support import CITIZEN, EXCHANGE, OFFICER_TIELING, SCHEMA, decide

from gateway.policy import Principal

TRADER = Principal(kind="user", subject="t", scopes=frozenset({"market:penalties"}))
QUERIES = [
    '{ person(idNumber: "1") { name idNumber phone registeredCounty { code } } }',
    '{ person(idNumber: "1") { name ... on Person { phone marriages } ...F } } '
    "fragment F on Person { idNumber household { members { name } } }",
    "query($x: Boolean!, $y: Boolean!) { persons { name @include(if: $x) id @skip(if: $y) } }",
    '{ owner(id: "1") { ... on Person { name } ... on Enterprise { penalties } } }',
    '{ node(id: "1") { id ... on Person { idNumber } ... on Household { members { phone } } } }',
    '{ household(householdNumber: "H") { address members { marriages } } secret }',
]


@pytest.mark.parametrize("principal", [OFFICER_TIELING, CITIZEN, EXCHANGE, TRADER])
@pytest.mark.parametrize("query", QUERIES)
def test_the_filtered_operation_validates(principal: Principal, query: str) -> None:
    decision = decide(principal, query)
    if decision.document is not None:
        assert validate(SCHEMA, decision.document) == [], decision.printed
