"""Ports the pipeline calls at its stage boundaries: authorization and the access log.

The pipeline depends only on these shapes, so the policy engine and the access log can
evolve (or be switched off in a test) without the core importing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from graphql import DocumentNode

from gateway.pipeline.document import PreparedOperation
from gateway.pipeline.request import RequestContext

__all__ = ["AccessRecorder", "AuthorizationOutcome", "Authorizer", "PostProcessOutcome"]


class PostProcessOutcome(Protocol):
    @property
    def data_subjects(self) -> frozenset[str]: ...
    @property
    def denied_rows(self) -> int: ...


class AuthorizationOutcome(Protocol):
    """What the authorize stage decided for one operation (see gateway.policy)."""

    @property
    def document(self) -> DocumentNode: ...
    @property
    def errors(self) -> list[dict[str, Any]]: ...
    @property
    def rejected(self) -> bool: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def released_fields(self) -> frozenset[str]: ...
    @property
    def personal_fields(self) -> frozenset[str]: ...

    def post_process(
        self, data: dict[str, Any] | None, errors: list[dict[str, Any]]
    ) -> PostProcessOutcome: ...


class Authorizer(Protocol):
    @property
    def version(self) -> str: ...

    def authorize(
        self,
        operation: PreparedOperation,
        variables: Mapping[str, Any],
        context: RequestContext,
    ) -> AuthorizationOutcome: ...


class AccessRecorder(Protocol):
    async def record(
        self,
        *,
        operation: PreparedOperation,
        context: RequestContext,
        decision: AuthorizationOutcome,
        policy_version: str,
        outcome: PostProcessOutcome | None = None,
        data_subjects: frozenset[str] | set[str] | None = None,
    ) -> None:
        """Append one record; ``outcome`` is the post-process result of a fresh read, while
        a cached answer replayed without post-processing passes its ``data_subjects``."""
        ...
