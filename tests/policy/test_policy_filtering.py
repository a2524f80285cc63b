"""Spec: authorize() removes what the caller may not read, before planning."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

from policy_support import CITIZEN, EXCHANGE, HERE, OFFICER_TIELING, decide, errors_of, render

from gateway.policy import ANONYMOUS, Principal, load_policy_set


def snapshot(text: str) -> str:
    return dedent(text).strip()


def test_an_unshared_field_is_removed_with_an_error_at_its_path() -> None:
    decision = decide(OFFICER_TIELING, "{ divisions { code } secret }")
    assert render(decision) == snapshot("""
        [Authorized]
        {
          divisions {
            code
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at secret
    """)
    assert decision.errors[0]["extensions"]["coordinate"] == "Query.secret"
    assert decision.released_fields == {"Query.divisions", "Division.code"}


def test_a_county_officer_gets_persons_with_hidden_row_and_subject_fields() -> None:
    decision = decide(
        OFFICER_TIELING, '{ person(idNumber: "1") { name registeredCounty { name } } }'
    )
    assert render(decision) == snapshot("""
        [Authorized]
        {
          person(idNumber: "1") {
            name
            registeredCounty {
              name
            }
            __gg_row__registeredCounty__code: registeredCounty {
              code
            }
            __gg_subject: idNumber
          }
        }
    """)
    assert decision.personal_fields == {"Person.name"}
    assert decision.masked_fields == {"Person.name"}


def test_a_personal_field_without_a_purpose_is_removed_with_purpose_required() -> None:
    decision = decide(
        OFFICER_TIELING,
        '{ person(idNumber: "1") { idNumber registeredCounty { code } } }',
        purpose=None,
    )
    assert render(decision) == snapshot("""
        [Authorized]
        {
          person(idNumber: "1") {
            registeredCounty {
              code
            }
            __gg_row__registeredCounty__code: registeredCounty {
              code
            }
          }
        }
        PURPOSE_REQUIRED at person/idNumber
    """)
    assert "X-Purpose" in decision.errors[0]["message"]


def test_a_blank_purpose_counts_as_no_purpose() -> None:
    decision = decide(OFFICER_TIELING, '{ person(idNumber: "1") { idNumber } }', purpose="  ")
    assert errors_of(decision) == [("PURPOSE_REQUIRED", ["person", "idNumber"])]


def test_a_selection_left_empty_gets_typename() -> None:
    decision = decide(EXCHANGE, '{ household(householdNumber: "H1") { address } }')
    assert render(decision) == snapshot("""
        [Authorized]
        {
          household(householdNumber: "H1") {
            __typename
          }
        }
        UNAUTHORIZED_FIELD_OR_TYPE at household/address
    """)


def test_nothing_left_to_run_rejects_the_operation() -> None:
    decision = decide(CITIZEN, "{ secret }")
    assert decision.rejected
    assert decision.document.definitions == ()
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["secret"])]


def test_reject_mode_refuses_the_whole_operation_when_anything_is_denied() -> None:
    decision = decide(OFFICER_TIELING, "{ divisions { code } secret }", mode="reject")
    assert decision.rejected
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["secret"])]


def test_reject_mode_runs_an_operation_that_is_fully_allowed() -> None:
    decision = decide(OFFICER_TIELING, "{ divisions { code } }", mode="reject")
    assert not decision.rejected
    assert decision.errors == []


def test_dry_run_plans_the_original_operation_and_only_reports() -> None:
    decision = decide(OFFICER_TIELING, "{ divisions { code } secret }", mode="dry-run")
    assert render(decision) == snapshot("""
        [Authorized]
        {
          divisions {
            code
          }
          secret
        }
        UNAUTHORIZED_FIELD_OR_TYPE at secret
    """)
    assert decision.errors == []
    data = {"divisions": [], "secret": "s"}
    assert decision.post_process(data, []).data == data


def test_public_fields_need_a_deployment_that_allows_anonymous_callers() -> None:
    closed = decide(ANONYMOUS, "{ divisions { code name } }")
    assert closed.rejected
    opened = decide(ANONYMOUS, "{ divisions { code name } }", allow_anonymous=True)
    assert not opened.rejected and opened.errors == []


def test_unconditional_fields_need_an_authenticated_caller() -> None:
    decision = decide(ANONYMOUS, '{ enterprise(creditCode: "C") { name } }', allow_anonymous=True)
    assert errors_of(decision) == [("UNAUTHORIZED_FIELD_OR_TYPE", ["enterprise"])]


def test_the_exchange_client_reads_personal_data_only_with_a_purpose() -> None:
    with_purpose = decide(EXCHANGE, '{ person(idNumber: "1") { idNumber } }')
    assert with_purpose.errors == [] and "Person.idNumber" in with_purpose.released_fields
    without = decide(EXCHANGE, '{ person(idNumber: "1") { idNumber } }', purpose=None)
    assert errors_of(without) == [("PURPOSE_REQUIRED", ["person", "idNumber"])]


def test_a_grant_to_a_client_does_not_extend_to_another_client_with_the_same_scope() -> None:
    other = Principal(
        kind="client", client_id="shenyang-exchange", scopes=frozenset({"exchange:read"})
    )
    decision = decide(other, '{ person(idNumber: "1") { idNumber } }')
    # No grant of this client shows any Person: person itself goes too (the row gate).
    assert errors_of(decision) == [
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["person", "idNumber"]),
        ("UNAUTHORIZED_FIELD_OR_TYPE", ["person"]),
    ]


def test_a_mutation_needs_its_grant() -> None:
    query = 'mutation { updatePhone(idNumber: "1", phone: "1") { id } }'
    assert decide(OFFICER_TIELING, query).rejected
    admin = Principal(kind="user", subject="a", scopes=frozenset({"population:admin"}))
    assert decide(admin, query).errors == []


def test_a_caller_with_the_identity_scope_sees_identity_numbers_unmasked() -> None:
    identity = Principal(
        kind="user",
        subject="o",
        county="211221",
        scopes=frozenset({"civil_affairs:officer", "population:identity"}),
    )
    decision = decide(identity, '{ person(idNumber: "1") { idNumber } }')
    assert decision.masked_fields == frozenset()


def test_a_grant_can_require_a_case_number_of_a_given_form(tmp_path: Path) -> None:
    shutil.copytree(HERE / "fixture_policies", tmp_path / "p")
    market = tmp_path / "p" / "market_regulation.yaml"
    market.write_text(
        market.read_text().replace(
            'grants: [{scopes: [["market:penalties"]]}]',
            'grants: [{scopes: [["market:penalties"]], purpose_pattern: "CF-\\\\d{4}-\\\\d+"}]',
        )
    )
    policy = load_policy_set(tmp_path / "p")
    assert policy.problems == ()
    trader = Principal(kind="user", subject="t", scopes=frozenset({"market:penalties"}))
    query = '{ enterprise(creditCode: "C") { penalties } }'
    assert decide(trader, query, policy=policy, purpose="CF-2026-17").errors == []
    wrong = decide(trader, query, policy=policy, purpose="just looking")
    assert [e["extensions"]["code"] for e in wrong.errors] == ["PURPOSE_REQUIRED"]
    assert "CF-" in wrong.errors[0]["message"]
    # Whether the purpose fits enters the fingerprint; the purpose text does not.
    assert (
        decide(trader, query, policy=policy, purpose="CF-2026-18").fingerprint
        == decide(trader, query, policy=policy, purpose="CF-2026-17").fingerprint
    )
