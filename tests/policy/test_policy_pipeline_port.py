"""Spec: the authorize stage meets the pipeline's Authorizer port and acts in place."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from graphql import parse
from policy_support import HERE, OFFICER_TIELING, SCHEMA, decide

from gateway.policy import PolicyAuthorizer, PolicyStore, Principal


@dataclass
class Operation:
    key: str
    document: object
    operation_name: str | None = None


@dataclass
class Context:
    principal: Principal
    purpose: str | None = None


def test_the_authorizer_builds_requests_from_the_pipeline_objects(tmp_path: Path) -> None:
    shutil.copytree(HERE / "fixture_policies", tmp_path / "p")
    authorizer = PolicyAuthorizer(PolicyStore(tmp_path / "p", SCHEMA), SCHEMA)
    query = '{ person(idNumber: "1") { idNumber } secret }'
    operation = Operation("k1", parse(query))
    decision = authorizer.authorize(operation, {}, Context(OFFICER_TIELING, "DB-1"))  # type: ignore[arg-type]
    assert [e["path"] for e in decision.errors] == [["secret"]]
    assert decision.policy_version == authorizer.version
    again = authorizer.authorize(operation, {}, Context(OFFICER_TIELING, "DB-1"))  # type: ignore[arg-type]
    assert again is decision


def test_post_process_rewrites_the_callers_data_and_errors_in_place() -> None:
    decision = decide(
        OFFICER_TIELING, '{ a: person(idNumber: "1") { phone } b: person(idNumber: "2") { phone } }'
    )
    data = {
        "a": {
            "phone": "13812345678",
            "__gg_row__registeredCounty__code": {"code": "211221"},
            "__gg_subject": "211221199001011234",
        },
        "b": {"phone": "13812345678", "__gg_row__registeredCounty__code": {"code": "211202"}},
    }
    errors: list[dict[str, object]] = []
    result = decision.post_process(data, errors)
    assert data == {"a": {"phone": "138****5678"}, "b": None}
    assert errors is result.errors and [e["path"] for e in errors] == [["b"]]
    assert result.data_subjects == {"211221199001011234"}


def test_a_refused_decision_empties_the_data_it_is_handed() -> None:
    decision = decide(OFFICER_TIELING, "{ secret }")
    data = {"secret": "s"}
    errors: list[dict[str, object]] = []
    decision.post_process(data, errors)
    assert data == {}
    assert errors[-1]["extensions"] == {"code": "AUTHORIZATION_FAILED"}


def test_the_policy_version_names_the_files_and_the_supergraph_directives(tmp_path: Path) -> None:
    from gateway.policy import parse_security_directives

    shutil.copytree(HERE / "fixture_policies", tmp_path / "p")
    directives = parse_security_directives("type Query { divisions: [Division] @authenticated }")
    store = PolicyStore(tmp_path / "p", SCHEMA, directives=directives)
    authorizer = PolicyAuthorizer(store, SCHEMA, directives=directives)
    decision = authorizer.authorize(
        Operation("k", parse("{ divisions { code } }")),
        {},
        Context(OFFICER_TIELING),  # type: ignore[arg-type]
    )
    assert (
        decision.policy_version
        == authorizer.version
        == (f"{store.current.version}+{directives.version}")
    )
