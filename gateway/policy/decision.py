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
from gateway.policy.release import HIDDEN_PREFIX, SelectionPlan

__all__ = [
    "AUTHORIZATION_FAILED",
    "EMPTY_DOCUMENT",
    "AuthorizationDecision",
    "AuthorizationRequest",
    "Mode",
]

log = logging.getLogger("govgraph.policy")
Mode = Literal["filter", "reject", "dry-run"]
AUTHORIZATION_FAILED = "AUTHORIZATION_FAILED"
EMPTY_DOCUMENT = DocumentNode(definitions=())
"""The document of a refused decision: planning it fails, so it can never run unfiltered."""


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """One operation to authorize. ``document`` is already validated against the API schema.

    ``variables`` never change what is planned: a denied field is removed whatever
    ``@skip``/``@include`` say. They are read only to leave out the error of a removed
    field the variables skip (the client did not ask for it); the values read are part of
    the decision's context and fingerprint.
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
    """The outcome. ``document`` holds one operation (fragments inlined) to plan, or
    :data:`EMPTY_DOCUMENT` when ``rejected``.

    ``errors`` go to the client as they are; in dry-run mode they are empty and
    ``dry_run_errors`` says what filter mode would have removed (log them).
    """

    document: DocumentNode
    errors: list[dict[str, Any]]
    rejected: bool
    fingerprint: str
    policy_version: str
    released_fields: frozenset[str] = frozenset()
    personal_fields: frozenset[str] = frozenset()
    masked_fields: frozenset[str] = frozenset()
    matched_grants: frozenset[str] = frozenset()
    mode: Mode = "filter"
    dry_run_errors: list[dict[str, Any]] = field(default_factory=list)
    plan: SelectionPlan | None = None
    claims: Mapping[str, object] = field(default_factory=dict)
    context: ContextRecord | None = None  # what was consulted; see DecisionCache

    @property
    def printed(self) -> str:
        """The filtered operation as text (empty when nothing is left to run)."""
        return print_ast(self.document) if self.document.definitions else ""

    def post_process(
        self, data: dict[str, Any] | None, errors: list[dict[str, Any]]
    ) -> PostProcessResult:
        """Row checks, masking, removal of hidden and unreleased keys; fails closed.

        Works in place as well as returning the result: ``data`` (the root dict) is
        rewritten to the released tree (emptied when withheld) and new errors are
        appended to ``errors``, so a caller that keeps using its own objects is safe too.
        """
        if self.mode == "dry-run":
            return PostProcessResult(data, errors)
        try:
            if self.rejected or self.plan is None:
                raise RuntimeError("post_process on a refused decision")
            result = post_process_tree(self.plan, self.claims, data, [])
        except Exception:
            log.exception("post-processing failed; the response is withheld")
            if data is not None:
                data.clear()
            errors.append(
                {
                    "message": "The response could not be authorized and is withheld",
                    "extensions": {"code": AUTHORIZATION_FAILED},
                }
            )
            return PostProcessResult(None, errors)
        if data is not None:
            data.clear()
            data.update(result.data or {})
        _hide_hidden_paths(errors)
        errors.extend(result.errors)
        return PostProcessResult(
            data if result.data is not None else None,
            errors,
            result.data_subjects,
            result.subjects,
            result.masked_fields,
            result.denied_rows,
        )


def _hide_hidden_paths(errors: list[dict[str, Any]]) -> None:
    # A subgraph error about a hidden row or subject field must not name it to the client:
    # cut its path at the hidden key, where the client sees the object that needed it.
    for error in errors:
        path = error.get("path")
        if not isinstance(path, list):
            continue
        for index, step in enumerate(path):
            if isinstance(step, str) and step.startswith(HIDDEN_PREFIX):
                error["path"] = path[:index]
                break
