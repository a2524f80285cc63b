"""Spec: decisions are reused exactly when the consulted authorization context agrees."""

from __future__ import annotations

from graphql import parse
from policy_support import CITIZEN, POLICIES, SCHEMA

from gateway.policy import AuthorizationRequest, DecisionCache, Principal

QUERY = parse('{ person(idNumber: "1") { name idNumber } divisions { code } }')


def request(principal: Principal, purpose: str | None = "P-1") -> AuthorizationRequest:
    return AuthorizationRequest(
        api_schema=SCHEMA, document=QUERY, principal=principal, policy=POLICIES, purpose=purpose
    )


def officer(subject: str, county: str, *extra: str) -> Principal:
    return Principal(
        kind="user",
        subject=subject,
        county=county,
        scopes=frozenset({"civil_affairs:officer", *extra}),
    )


def test_officers_of_one_county_share_a_decision_and_another_county_does_not() -> None:
    cache = DecisionCache()
    first = cache.authorize(request(officer("a", "211221")))
    assert cache.authorize(request(officer("b", "211221", "weather:read"))) is first
    other = cache.authorize(request(officer("c", "211202")))
    assert other is not first and other.claims == {"county": "211202"}
    assert (cache.hits, cache.misses) == (1, 2)


def test_a_caller_without_a_purpose_does_not_reuse_a_decision_made_with_one() -> None:
    cache = DecisionCache()
    with_purpose = cache.authorize(request(officer("a", "211221")))
    without = cache.authorize(request(officer("a", "211221"), purpose=None))
    assert without is not with_purpose
    assert [e["extensions"]["code"] for e in without.errors] == ["PURPOSE_REQUIRED"] * 2


def test_citizens_never_share_a_decision_because_their_subject_is_read() -> None:
    cache = DecisionCache()
    mine = cache.authorize(request(CITIZEN))
    other = Principal(kind="user", subject="211202199001010000", scopes=frozenset({"citizen"}))
    theirs = cache.authorize(request(other))
    assert theirs is not mine
    assert theirs.claims == {"sub": "211202199001010000"}


def test_a_cached_decision_is_what_authorize_would_decide() -> None:
    from gateway.policy import authorize

    cache = DecisionCache()
    cache.authorize(request(officer("a", "211221")))
    reused = cache.authorize(request(officer("b", "211221")))
    fresh = authorize(request(officer("b", "211221")))
    assert reused.printed == fresh.printed and reused.fingerprint == fresh.fingerprint


def test_variables_that_decide_which_errors_are_reported_are_part_of_the_context() -> None:
    document = parse("query Q($s: Boolean!) { divisions { code } secret @include(if: $s) }")
    cache = DecisionCache()

    def ask(show: bool) -> object:
        return cache.authorize(
            AuthorizationRequest(
                api_schema=SCHEMA,
                document=document,
                principal=officer("a", "211221"),
                policy=POLICIES,
                variables={"s": show},
            )
        )

    with_error, without_error = ask(True), ask(False)
    assert with_error is not without_error
    assert ask(True) is with_error and ask(False) is without_error
