"""The authorize stage's data: what goes in (request) and what comes out (decision)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import DocumentNode, GraphQLSchema, print_ast

from gateway.policy.context import ContextRecord
from gateway.policy.directives import SecurityDirectives
from gateway.policy.policyset import PolicySet
from gateway.policy.postprocess import PostProcessResult, post_process_tree
from gateway.policy.principal import Principal
from gateway.policy.release import SelectionPlan

__all__ = [
    "AUTHORIZATION_FAILED",
    "AuthorizationDecision",
    "AuthorizationRequest",
    "Mode",
]

log = logging.getLogger("govgraph.policy")
Mode = Literal["filter", "reject", "dry-run"]
AUTHORIZATION_FAILED = "AUTHORIZATION_FAILED"


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """One operation to authorize. ``document`` is already validated against the API schema.

    ``variables`` are accepted but not read: a decision never depends on variable values
    (``@skip``/``@include`` do not hide a denied field from authorization), which keeps
    decisions cacheable per operation.
    """

    api_schema: GraphQLSchema
    document: DocumentNode
    principal: Principal
    policy: PolicySet
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    purpose: str | None = None
    directives: SecurityDirectives | None = None
    mode: Mode = "filter"
    allow_anonymous: bool = False


@dataclass(frozen=True, slots=True)
class AuthorizationDecision:
    """The outcome. ``document`` holds one operation (fragments inlined) to plan.

    ``errors`` go to the client as they are; in dry-run mode they are empty and
    ``dry_run_errors`` says what filter mode would have removed (log them).
    """

    document: DocumentNode | None
    errors: tuple[dict[str, Any], ...]
    rejected: bool
    fingerprint: str
    policy_version: str
    released_fields: frozenset[str] = frozenset()
    personal_fields: frozenset[str] = frozenset()
    masked_fields: frozenset[str] = frozenset()
    matched_grants: frozenset[str] = frozenset()
    mode: Mode = "filter"
    dry_run_errors: tuple[dict[str, Any], ...] = ()
    plan: SelectionPlan | None = None
    claims: Mapping[str, object] = field(default_factory=dict)
    context: ContextRecord | None = None  # what was consulted; see DecisionCache

    @property
    def printed(self) -> str:
        """The filtered operation as text (empty when nothing is left to run)."""
        return print_ast(self.document) if self.document is not None else ""

    def post_process(
        self, data: dict[str, Any] | None, errors: list[dict[str, Any]]
    ) -> PostProcessResult:
        """Row checks, masking, removal of hidden and unreleased keys; fails closed."""
        if self.rejected:
            return PostProcessResult(None, list(errors))
        if self.mode == "dry-run" or self.plan is None:
            return PostProcessResult(data, list(errors))
        try:
            return post_process_tree(self.plan, self.claims, data, errors)
        except Exception:
            log.exception("post-processing failed; the response is withheld")
            return PostProcessResult(
                None,
                [
                    *errors,
                    {
                        "message": "The response could not be authorized and is withheld",
                        "extensions": {"code": AUTHORIZATION_FAILED},
                    },
                ],
            )
