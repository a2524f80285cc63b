"""Spec: the security officers' commands — check, explain, test and diff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from policy_support import HERE

from gateway.cli.policy import policy

ROOT = HERE.parent.parent
DEMO = ROOT / "policies"
API = DEMO / "tests" / "government-api.graphql"
FIXTURE = HERE / "fixture_policies"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(policy, list(args))
    return result.exit_code, result.output


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DEMO, target)
    return target


def test_check_passes_the_demo_policies_against_the_contract_schema() -> None:
    code, output = run("check", "--policies", str(DEMO), "--schema", str(API))
    assert code == 0, output
    assert output.startswith("OK policy set")


def test_check_fails_on_an_unknown_field_an_unknown_scope_and_a_field_without_class(
    demo_copy: Path,
) -> None:
    (demo_copy / "extra.yaml").write_text(
        "department: extra\n"
        "types:\n"
        "  Person:\n"
        "    fields:\n"
        "      shoeSize: unconditional\n"
        "  Parcel:\n"
        "    fields:\n"
        '      landUse: {class: conditional, grants: [{scopes: [["parcel:peek"]]}]}\n'
    )
    market = demo_copy / "market_regulation.yaml"
    market.write_text(
        market.read_text().replace("  Enterprise:\n    default: unconditional\n", "  Enterprise:\n")
    )
    code, output = run("check", "--policies", str(demo_copy), "--schema", str(API))
    assert code == 1
    assert "unknown field Person.shoeSize" in output
    assert "scope 'parcel:peek' is not declared" in output
    assert "Parcel.landUse is already ruled by" not in output
    assert "Enterprise.organisationType: no class" in output


def test_check_reports_a_conflict_between_two_departments(demo_copy: Path) -> None:
    (demo_copy / "extra.yaml").write_text(
        "department: extra\ntypes:\n  Person:\n    fields:\n      phone: unconditional\n"
    )
    code, output = run("check", "--policies", str(demo_copy), "--schema", str(API))
    assert code == 1
    assert "Person.phone is already ruled by" in output


def test_explain_says_who_sees_a_field_and_how() -> None:
    code, output = run("explain", "Person.idNumber", "--policies", str(DEMO))
    assert code == 0, output
    assert "class: conditional" in output
    assert "county-civil-affairs-officer" in output
    assert "only rows where registeredCounty.code = claim county" in output
    assert "211202********1234" in output
    assert "purpose" in output


def test_explain_of_an_unclassified_field_says_nobody() -> None:
    code, output = run("explain", "Nothing.here", "--policies", str(DEMO))
    assert code == 0
    assert "who can see it: nobody" in output


def test_the_demo_cases_pass() -> None:
    code, output = run("test", "--policies", str(DEMO))
    assert code == 0, output
    assert " 0 failed" in output


def test_a_failing_case_exits_non_zero_and_says_what_differed(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        f"schema: {API}\npolicies: {DEMO}\n"
        "cases:\n"
        "  - name: an officer reads penalties\n"
        "    principal: {kind: user, scopes: ['civil_affairs:officer'], county: '211221'}\n"
        "    query: '{ enterprise(creditCode: \"C\") { penalties { reason } } }'\n"
        "    expect: {allowed: [Enterprise.penalties]}\n"
    )
    code, output = run("test", str(cases))
    assert code == 1
    assert "FAIL cases.yaml: an officer reads penalties" in output
    assert "expected allowed: Enterprise.penalties" in output


def test_a_case_file_with_an_unknown_key_is_an_error(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - name: x\n    principal: {}\n    query: '{ a }'\n"
        "    expect: {}\n    colour: red\n"
    )
    code, output = run("test", str(cases), "--schema", str(API))
    assert code == 1
    assert "colour" in output


def test_diff_shows_who_gains_and_who_loses(demo_copy: Path) -> None:
    market = demo_copy / "market_regulation.yaml"
    market.write_text(
        market.read_text().replace(
            '          - {name: market-staff, scopes: [["market:penalties"]]}\n'
            "          - name: provincial-exchange\n",
            '          - {name: market-staff, scopes: [["market:penalties"]]}\n'
            '          - {name: officers, scopes: [["civil_affairs:officer"]]}\n'
            "          - name: provincial-exchange\n",
            1,
        )
    )
    population = demo_copy / "population.yaml"
    population.write_text(
        population.read_text().replace("      divisions: public", "      divisions: unconditional")
    )
    code, output = run("diff", str(DEMO), str(demo_copy))
    assert code == 0, output
    assert "Enterprise.penalties\n  + gains: scopes [civil_affairs:officer] (full value)" in output
    assert "Query.divisions: public -> unconditional" in output
    assert "- loses: anyone" in output


def test_a_missing_policy_directory_is_an_error_for_the_tools(tmp_path: Path) -> None:
    code, output = run("check", "--policies", str(tmp_path / "none"))
    assert code == 1
    assert "does not exist" in output


def test_the_demo_policies_pass_the_check_against_the_composed_supergraph() -> None:
    composed = ROOT / "schema.graphql"
    if not composed.is_file():
        pytest.skip("schema.graphql has not been composed yet")
    code, output = run("check", "--policies", str(DEMO), "--schema", str(composed))
    assert code == 0, output
    code, output = run("test", "--policies", str(DEMO), "--schema", str(composed))
    assert code == 0, output


def test_matrix_lists_every_field_of_the_schema_with_who_can_read_it() -> None:
    code, output = run("matrix", "--policies", str(DEMO), "--schema", str(API))
    assert code == 0, output
    assert "| `Person.idNumber` | conditional | sensitive | id_number |" in output
    assert "| `Query.divisions` | public |" in output
    code, output = run("matrix", "--policies", str(DEMO), "--schema", str(API), "--format", "json")
    import json

    rows = {row["coordinate"]: row for row in json.loads(output)}
    assert rows["Enterprise.name"]["routes"] == [
        {"who": "any authenticated caller", "how": "full value"}
    ]
