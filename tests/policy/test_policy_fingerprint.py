"""Spec: the decision fingerprint holds exactly the authorization context that was consulted."""

from __future__ import annotations

from policy_support import CITIZEN, OFFICER_TIELING, POLICIES, decide

from gateway.policy import Principal, deny_all_policy

QUERY = '{ person(idNumber: "1") { name idNumber } }'


def officer(subject: str, county: str, *extra: str) -> Principal:
    return Principal(
        kind="user",
        subject=subject,
        county=county,
        scopes=frozenset({"civil_affairs:officer", *extra}),
    )


def test_two_officers_of_the_same_county_share_a_fingerprint() -> None:
    assert (
        decide(officer("a", "211221"), QUERY).fingerprint
        == decide(officer("b", "211221"), QUERY).fingerprint
    )


def test_a_scope_the_rules_never_consult_does_not_change_the_fingerprint() -> None:
    assert (
        decide(officer("a", "211221"), QUERY).fingerprint
        == decide(officer("a", "211221", "weather:read"), QUERY).fingerprint
    )


def test_the_county_read_by_a_row_condition_changes_the_fingerprint() -> None:
    assert (
        decide(officer("a", "211221"), QUERY).fingerprint
        != decide(officer("a", "211202"), QUERY).fingerprint
    )


def test_citizens_get_their_own_fingerprint_because_their_subject_is_read() -> None:
    other = Principal(kind="user", subject="211202199001010000", scopes=frozenset({"citizen"}))
    assert decide(CITIZEN, QUERY).fingerprint != decide(other, QUERY).fingerprint


def test_purpose_presence_enters_the_fingerprint_only_where_a_policy_depends_on_it() -> None:
    personal = [decide(OFFICER_TIELING, QUERY, purpose=p).fingerprint for p in ("A-1", "B-2", None)]
    assert personal[0] == personal[1] != personal[2]
    plain = "{ divisions { code } }"
    assert (
        decide(OFFICER_TIELING, plain, purpose="A").fingerprint
        == decide(OFFICER_TIELING, plain, purpose=None).fingerprint
    )


def test_the_policy_version_enters_the_fingerprint() -> None:
    assert (
        decide(OFFICER_TIELING, QUERY).fingerprint
        != decide(OFFICER_TIELING, QUERY, policy=deny_all_policy("gone")).fingerprint
    )
    assert POLICIES.version in decide(OFFICER_TIELING, QUERY).policy_version


def test_the_fingerprint_never_contains_the_token_or_the_subject_in_clear() -> None:
    decision = decide(CITIZEN, QUERY)
    assert CITIZEN.subject is not None
    assert CITIZEN.subject not in decision.fingerprint
    assert len(decision.fingerprint) == 64
