"""Spec: grants conditioned on a field's arguments (``arguments:``), checked before planning."""

from __future__ import annotations

from pathlib import Path

from policy_support import CITIZEN, POLICIES, SCHEMA, decide, errors_of

from gateway.policy import Principal, load_policy_set
from gateway.policy.check import check_policy
from gateway.policy.explain import explain_field

OWN = CITIZEN.subject
STRANGER = "211221199001011234"
UPDATE = 'mutation($id: ID!) { updatePhone(idNumber: $id, phone: "13800000000") { id } }'


def test_a_citizen_may_call_a_mutation_only_with_their_own_identity_number() -> None:
    own = decide(CITIZEN, UPDATE, variables={"id": OWN})
    assert not own.rejected and own.errors == []
    assert "Mutation.updatePhone" in own.released_fields
    stranger = decide(CITIZEN, UPDATE, variables={"id": STRANGER})
    assert stranger.rejected
    assert errors_of(stranger) == [("UNAUTHORIZED_ARGUMENTS", ["updatePhone"])]
    error = stranger.errors[0]
    assert error["extensions"]["coordinate"] == "Mutation.updatePhone"
    assert "idNumber = claim sub" in error["message"]


def test_literal_arguments_are_checked_too_and_each_aliased_call_on_its_own() -> None:
    query = f"""mutation {{
        mine: updatePhone(idNumber: "{OWN}", phone: "1") {{ id }}
        theirs: updatePhone(idNumber: "{STRANGER}", phone: "1") {{ id }}
    }}"""
    decision = decide(CITIZEN, query)
    assert errors_of(decision) == [("UNAUTHORIZED_ARGUMENTS", ["theirs"])]
    assert "mine: updatePhone" in decision.printed and "theirs" not in decision.printed


def test_a_grant_without_an_arguments_condition_is_not_narrowed() -> None:
    admin = Principal(kind="user", subject="a", scopes=frozenset({"population:admin"}))
    assert decide(admin, UPDATE, variables={"id": STRANGER}).errors == []


def test_a_missing_claim_or_value_never_meets_the_condition() -> None:
    nameless = Principal(kind="user", scopes=frozenset({"citizen"}))
    assert decide(nameless, UPDATE, variables={"id": OWN}).rejected
    assert decide(CITIZEN, UPDATE, variables={}).rejected


def test_the_variable_value_enters_the_fingerprint_and_the_cached_context() -> None:
    own = decide(CITIZEN, UPDATE, variables={"id": OWN})
    stranger = decide(CITIZEN, UPDATE, variables={"id": STRANGER})
    assert own.fingerprint != stranger.fingerprint
    assert own.context is not None
    assert own.context.matches(CITIZEN, "DB-2026-0042", False, {"id": OWN})
    assert not own.context.matches(CITIZEN, "DB-2026-0042", False, {"id": STRANGER})


def test_explain_says_which_calls_a_grant_allows() -> None:
    text = "\n".join(explain_field(POLICIES, "Mutation.updatePhone"))
    assert "only calls with arguments where idNumber = claim sub" in text


def test_check_refuses_an_arguments_condition_on_an_unknown_argument_or_a_type_grant(
    tmp_path: Path,
) -> None:
    (tmp_path / "scopes.yaml").write_text("scopes: {citizen: c}\n")
    (tmp_path / "p.yaml").write_text(
        """
department: p
types:
  Mutation:
    fields:
      updatePhone:
        class: conditional
        grants:
          - {scopes: [[citizen]], arguments: {person: {equals_claim: sub}}}
  Household:
    default: conditional
    grants:
      - {scopes: [[citizen]], arguments: {id: {equals: "1"}}}
"""
    )
    findings = [str(f) for f in check_policy(load_policy_set(tmp_path), SCHEMA)]
    assert any("has no argument 'person'" in f for f in findings), findings
    assert any(
        "types.Household.grants[0].arguments: argument conditions belong on a field's own" in f
        for f in findings
    ), findings
