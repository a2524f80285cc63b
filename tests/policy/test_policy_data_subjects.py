"""Spec: every personal read names whose data it is, through a path when the subject is a
related person (a dibao case's applicant, a marriage's two parties)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gateway.policy import load_policy_set
from gateway.policy.check import check_policy
from gateway.supergraph import Supergraph

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_schema():  # type: ignore[no-untyped-def]
    return Supergraph.from_sdl((ROOT / "schema.graphql").read_text()).api_schema


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


def test_the_demo_policies_name_a_subject_for_every_type_with_personal_fields(
    api_schema,  # type: ignore[no-untyped-def]
) -> None:
    policy = load_policy_set(ROOT / "policies")
    assert policy.data_subjects("DibaoCase") == ("applicant.idNumber",)
    assert policy.data_subjects("MarriageRegistration") == ("partyA.idNumber", "partyB.idNumber")
    assert [f.message for f in check_policy(policy, api_schema)] == []


def test_a_personal_field_on_a_type_without_a_subject_fails_the_check(
    policies: Path,
    api_schema,  # type: ignore[no-untyped-def]
) -> None:
    path = policies / "civil_affairs.yaml"
    path.write_text(path.read_text().replace("    data_subject: applicant.idNumber\n", ""))
    messages = [f.message for f in check_policy(load_policy_set(policies), api_schema)]
    assert any(
        "DibaoCase.monthlyAmount is personal but DibaoCase names no data_subject" in m
        for m in messages
    ), messages


def test_a_subject_path_must_follow_single_fields_to_a_scalar(
    policies: Path,
    api_schema,  # type: ignore[no-untyped-def]
) -> None:
    path = policies / "civil_affairs.yaml"
    path.write_text(
        path.read_text().replace("data_subject: applicant.idNumber", "data_subject: applicant")
    )
    messages = [f.message for f in check_policy(load_policy_set(policies), api_schema)]
    assert any("data_subject: applicant is not a path" in m for m in messages), messages
