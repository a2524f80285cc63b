"""Helpers for the policy specs: the annotated test schema, principals and a decision printer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_schema, parse

from gateway.policy import (
    AuthorizationDecision,
    AuthorizationRequest,
    Mode,
    PolicySet,
    Principal,
    SecurityDirectives,
    authorize,
    load_policy_set,
)

__all__ = [
    "CITIZEN",
    "EXCHANGE",
    "HERE",
    "OFFICER_TIELING",
    "POLICIES",
    "SCHEMA",
    "decide",
    "render",
]

HERE = Path(__file__).parent
SCHEMA: GraphQLSchema = build_schema((HERE / "schema.graphql").read_text())
POLICIES: PolicySet = load_policy_set(HERE / "fixture_policies")

OFFICER_TIELING = Principal(
    kind="user",
    subject="officer-17",
    scopes=frozenset({"civil_affairs:officer"}),
    county="211221",
    department="civil_affairs",
)
CITIZEN = Principal(kind="user", subject="211202199001011234", scopes=frozenset({"citizen"}))
EXCHANGE = Principal(
    kind="client", client_id="liaoning-exchange", scopes=frozenset({"exchange:read"})
)


def decide(
    principal: Principal,
    query: str,
    *,
    purpose: str | None = "DB-2026-0042",
    mode: Mode = "filter",
    operation_name: str | None = None,
    directives: SecurityDirectives | None = None,
    policy: PolicySet = POLICIES,
    allow_anonymous: bool = False,
    variables: dict[str, Any] | None = None,
) -> AuthorizationDecision:
    return authorize(
        AuthorizationRequest(
            api_schema=SCHEMA,
            document=parse(query),
            operation_name=operation_name,
            principal=principal,
            purpose=purpose,
            policy=policy,
            directives=directives,
            mode=mode,
            allow_anonymous=allow_anonymous,
            variables=variables,
        )
    )


def render(decision: AuthorizationDecision) -> str:
    """Three parts, like a snapshot: the outcome, the operation to plan, the errors."""
    outcome = "[Rejected]" if decision.rejected else "[Authorized]"
    lines = [outcome, decision.printed.strip()]
    for error in (*decision.errors, *decision.dry_run_errors):
        path = "/".join(str(step) for step in error.get("path", []))
        lines.append(f"{error['extensions']['code']} at {path or '-'}")
    return "\n".join(line for line in lines if line)


def errors_of(decision: AuthorizationDecision) -> list[tuple[str, Any]]:
    return [(e["extensions"]["code"], e.get("path")) for e in decision.errors]
