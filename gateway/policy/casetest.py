"""Policy test cases: a principal, a purpose and a query; the fields expected allowed,
denied and masked (and optionally a raw response and the data expected after post-processing).

A cases file (YAML, strict)::

    schema: government-api.graphql      # optional; relative to the cases file
    policies: ..                        # optional; relative to the cases file
    cases:
      - name: a county officer sees residents of their county, masked
        principal: {kind: user, subject: o-1, scopes: [civil_affairs:officer], county: "211221"}
        purpose: DB-2026-0042
        query: '{ person(idNumber: "211221199001011234") { name idNumber } }'
        expect:
          allowed: [Person.name, Person.idNumber]
          masked: [Person.idNumber]
          denied: []
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from graphql import GraphQLError, GraphQLSchema, parse, validate
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gateway.policy.authorize import authorize
from gateway.policy.decision import AuthorizationRequest, Mode
from gateway.policy.directives import SecurityDirectives
from gateway.policy.policyset import PolicySet
from gateway.policy.principal import Principal
from gateway.policy.verdicts import PURPOSE_REQUIRED

__all__ = ["CaseFile", "CaseResult", "load_case_file", "run_case", "run_cases"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrincipalSpec(_Strict):
    kind: Literal["user", "client", "anonymous"] = "user"
    subject: str | None = None
    client_id: str | None = None
    scopes: list[str] = Field(default_factory=list)
    department: str | None = None
    county: str | None = None
    claims: dict[str, Any] = Field(default_factory=dict)

    def build(self) -> Principal:
        return Principal(
            kind=self.kind,
            subject=self.subject,
            client_id=self.client_id,
            scopes=frozenset(self.scopes),
            department=self.department,
            county=self.county,
            claims=dict(self.claims),
        )


class Expectation(_Strict):
    allowed: list[str] = Field(default_factory=list)
    denied: list[str] = Field(default_factory=list)
    masked: list[str] = Field(default_factory=list)
    unmasked: list[str] = Field(default_factory=list)
    purpose_required: list[str] = Field(default_factory=list)
    rejected: bool | None = None


class ResponseSpec(_Strict):
    data: dict[str, Any]
    expect_data: dict[str, Any] | None = None
    expect_subjects: list[str] | None = None


class Case(_Strict):
    name: str
    principal: PrincipalSpec
    purpose: str | None = None
    query: str
    variables: dict[str, Any] | None = None
    operation: str | None = None
    mode: Mode = "filter"
    allow_anonymous: bool = False
    expect: Expectation
    response: ResponseSpec | None = None


class CaseFile(_Strict):
    schema_file: str | None = Field(default=None, alias="schema")
    policies: str | None = None
    cases: list[Case]


@dataclass
class CaseResult:
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load_case_file(path: Path) -> CaseFile:
    """Parse a cases file; raise ValueError naming the bad part."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return CaseFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ValueError(f"{path}: {problems}") from exc


def run_case(
    case: Case,
    schema: GraphQLSchema,
    policy: PolicySet,
    directives: SecurityDirectives | None = None,
) -> CaseResult:
    result = CaseResult(case.name)
    try:
        document = parse(case.query)
    except GraphQLError as exc:
        result.failures.append(f"query does not parse: {exc.message}")
        return result
    invalid = validate(schema, document)
    if invalid:
        result.failures.append(f"query is not valid for the schema: {invalid[0].message}")
        return result
    decision = authorize(
        AuthorizationRequest(
            api_schema=schema,
            document=document,
            principal=case.principal.build(),
            policy=policy,
            operation_name=case.operation,
            variables=case.variables,
            purpose=case.purpose,
            directives=directives,
            mode=case.mode,
            allow_anonymous=case.allow_anonymous,
        )
    )
    errors = [*decision.errors, *decision.dry_run_errors]
    denied = {e["extensions"].get("coordinate") for e in errors} - {None}
    purpose = {
        e["extensions"].get("coordinate")
        for e in errors
        if e["extensions"]["code"] == PURPOSE_REQUIRED
    }
    expect = case.expect
    checks = [
        ("expected allowed", expect.allowed, decision.released_fields),
        ("expected denied", expect.denied, denied),
        ("expected masked", expect.masked, decision.masked_fields),
        ("expected to need a purpose", expect.purpose_required, purpose),
    ]
    for label, wanted, actual in checks:
        for coordinate in wanted:
            if coordinate not in actual:
                result.failures.append(f"{label}: {coordinate}")
    for coordinate in expect.denied:
        if coordinate in decision.released_fields:
            result.failures.append(f"expected denied but released: {coordinate}")
    for coordinate in expect.unmasked:
        if coordinate not in decision.released_fields or coordinate in decision.masked_fields:
            result.failures.append(f"expected released in full: {coordinate}")
    if expect.rejected is not None and decision.rejected != expect.rejected:
        result.failures.append(f"expected rejected={expect.rejected}, got {decision.rejected}")
    if case.response is not None:
        processed = decision.post_process(case.response.data, [])
        if case.response.expect_data is not None and processed.data != case.response.expect_data:
            result.failures.append(
                f"post-processed data {processed.data!r} != {case.response.expect_data!r}"
            )
        if case.response.expect_subjects is not None:
            subjects = sorted(processed.data_subjects)
            if subjects != sorted(case.response.expect_subjects):
                result.failures.append(
                    f"data subjects {subjects} != {case.response.expect_subjects}"
                )
    return result


def run_cases(
    cases: CaseFile,
    schema: GraphQLSchema,
    policy: PolicySet,
    directives: SecurityDirectives | None = None,
) -> list[CaseResult]:
    return [run_case(case, schema, policy, directives) for case in cases.cases]
