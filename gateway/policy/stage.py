"""PolicyAuthorizer: the authorize stage as the pipeline calls it (its ``Authorizer`` port).

It reads the policy in force from a :class:`PolicyStore` (reloading when the files
changed), builds the :class:`AuthorizationRequest` from the prepared operation and the
request context, and reuses decisions through a :class:`DecisionCache`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from graphql import DocumentNode, GraphQLSchema

from gateway.policy.cache import DecisionCache
from gateway.policy.decision import AuthorizationDecision, AuthorizationRequest, Mode
from gateway.policy.directives import SecurityDirectives
from gateway.policy.principal import Principal
from gateway.policy.store import PolicyStore

__all__ = ["PolicyAuthorizer"]


class _Operation(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def document(self) -> DocumentNode: ...
    @property
    def operation_name(self) -> str | None: ...


class _Context(Protocol):
    @property
    def principal(self) -> Principal: ...
    @property
    def purpose(self) -> str | None: ...


class PolicyAuthorizer:
    def __init__(
        self,
        store: PolicyStore,
        api_schema: GraphQLSchema,
        *,
        directives: SecurityDirectives | None = None,
        mode: Mode = "filter",
        allow_anonymous: bool = False,
        cache: DecisionCache | None = None,
    ) -> None:
        self.store = store
        self.api_schema = api_schema
        self.directives = directives
        self.mode = mode
        self.allow_anonymous = allow_anonymous
        self.cache = cache if cache is not None else DecisionCache()

    @property
    def version(self) -> str:
        """The policy version in force (with the directives' version, when there are any)."""
        version = self.store.current.version
        return f"{version}+{self.directives.version}" if self.directives else version

    def authorize(
        self, operation: _Operation, variables: Mapping[str, Any], context: _Context
    ) -> AuthorizationDecision:
        request = AuthorizationRequest(
            api_schema=self.api_schema,
            document=operation.document,
            operation_name=operation.operation_name,
            variables=variables,
            principal=context.principal,
            purpose=context.purpose,
            policy=self.store.get(),
            directives=self.directives,
            mode=self.mode,
            allow_anonymous=self.allow_anonymous,
        )
        return self.cache.authorize(request, document_key=operation.key)
