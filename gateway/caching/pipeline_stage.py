"""CachingPipeline: the response cache as a stage around the pipeline, and mutation
invalidation as a wrapper around its executor.

Phases of one request: prepare, coerce and authorize exactly as the pipeline will (all
three are cached there, so repeating them is a few dictionary lookups); look the
response up under the caller's authorization context; on a hit, write the access-log
record the pipeline would have written (same operation, caller, decision, data subjects)
and answer; on a miss, run the pipeline, store the response when it is complete, and
set its ``Cache-Control``. Anything refused before execution is left to the pipeline, so
its errors are exactly the pipeline's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import OperationType

from gateway.caching.layer import CacheLayer
from gateway.caching.responses import ResponseCache, ResponseLookup
from gateway.errors import GatewayError
from gateway.executor import ExecutionResult, Executor
from gateway.pipeline.document import PreparedOperation
from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.pipeline.stages import AccessRecorder, AuthorizationOutcome
from gateway.pipeline.variables import coerce_variables
from gateway.planner.nodes import QueryPlan

__all__ = ["CachingPipeline"]

log = logging.getLogger("govgraph.cache")


@dataclass(slots=True)
class _Request:
    """What the wrappers inside the pipeline need to know about the request they serve."""

    operation: PreparedOperation
    data_subjects: frozenset[str] | set[str] = field(default_factory=frozenset)
    returned: Any = None


_request: ContextVar[_Request | None] = ContextVar("govgraph_cached_request", default=None)


class _SubjectRecorder:
    """Passes records on, keeping the data subjects for the response cache entry."""

    def __init__(self, inner: AccessRecorder) -> None:
        self.inner = inner

    async def record(self, **arguments: Any) -> None:
        # Keyword arguments pass through as they are: the recorder's port may grow.
        state = _request.get()
        if state is not None:
            outcome = arguments.get("outcome")
            subjects = (
                outcome.data_subjects if outcome is not None else arguments.get("data_subjects")
            )
            state.data_subjects = frozenset(subjects or ())
        await self.inner.record(**arguments)


class _InvalidatingExecutor:
    """After a mutation, invalidates the entities it returned (before masking touches keys)."""

    def __init__(self, inner: Executor, responses: ResponseCache) -> None:
        self.inner = inner
        self.responses = responses

    async def execute(
        self, plan: QueryPlan, variables: Mapping[str, Any], **options: Any
    ) -> ExecutionResult:
        # Options pass through as they are: the executor's signature may grow.
        result = await self.inner.execute(plan, variables, **options)
        state = _request.get()
        if state is not None and state.operation.operation_type is OperationType.MUTATION:
            state.returned = await self.responses.invalidate_returned(state.operation, result.data)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # anything else is the executor's


class CachingPipeline:
    """The pipeline's ``run`` with the response cache and Cache-Control around it.

    Takes over ``pipeline.executor`` and ``pipeline.access_recorder`` (wrapping them), so
    build it right after the pipeline and call its ``run`` instead.
    """

    def __init__(
        self, pipeline: Pipeline, layer: CacheLayer, *, allow_anonymous: bool = False
    ) -> None:
        self.pipeline = pipeline
        self.layer = layer
        self.allow_anonymous = allow_anonymous
        self.responses = ResponseCache(layer, pipeline.supergraph.api_schema)
        self.recorder = pipeline.access_recorder
        if self.recorder is not None:
            pipeline.access_recorder = _SubjectRecorder(self.recorder)
        pipeline.executor = _InvalidatingExecutor(pipeline.executor, self.responses)  # type: ignore[assignment]

    async def run(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        pipeline = self.pipeline
        try:
            op = pipeline.documents.prepare(request.query, request.operation_name)
            if request.http_method == "GET" and op.operation_type is not OperationType.QUERY:
                return await pipeline.run(request, context)
            variables = coerce_variables(
                pipeline.supergraph.api_schema, op.operation, request.variables
            )
            decision = None
            keyed = replace(context, schema_hash=pipeline.supergraph.hash)
            if pipeline.authorizer is not None:
                decision = pipeline.authorizer.authorize(op, variables, context)
                if decision.rejected:
                    return await pipeline.run(request, context)
                keyed = replace(
                    keyed,
                    policy_version=pipeline.authorizer.version,
                    auth_fingerprint=decision.fingerprint,
                )
        except GatewayError:
            return await pipeline.run(request, context)  # the pipeline answers its own errors
        state = _Request(op)
        token = _request.set(state)
        try:
            # The mode is in the key too: a dry-run instance answers unfiltered, and must
            # never fill the entries a filtering instance on the same Redis reads.
            mode = getattr(pipeline.authorizer, "mode", "")
            lookup = await self.responses.lookup(
                op, variables, replace(keyed, policy_version=f"{keyed.policy_version}|{mode}")
            )
            if lookup.hit is not None:
                return await self._hit(lookup, op, keyed, decision)
            response = await pipeline.run(request, context)
            if response.executed:
                await self.responses.store(
                    lookup,
                    data=response.data,
                    errors=response.errors,
                    decision_errors=decision.errors if decision is not None else (),
                    data_subjects=state.data_subjects,
                    personal_fields=decision.personal_fields if decision else frozenset(),
                )
            directive = self.responses.directive(
                lookup,
                decision=decision,
                errors=bool(response.errors) or not response.executed,
                allow_anonymous=self.allow_anonymous,
            )
            response.cache_control = directive.cache_control
            return response
        finally:
            _request.reset(token)

    async def _hit(
        self,
        lookup: ResponseLookup,
        op: PreparedOperation,
        context: RequestContext,
        decision: AuthorizationOutcome | None,
    ) -> GraphQLResponse:
        hit = lookup.hit
        assert hit is not None
        authorizer = self.pipeline.authorizer
        if decision is not None and self.recorder is not None and decision.personal_fields:
            # Evidence first, then data: a hit is recorded exactly like a miss.
            await self.recorder.record(
                operation=op,
                context=context,
                decision=decision,
                data_subjects=hit.data_subjects,
                policy_version=authorizer.version if authorizer is not None else "",
            )
        directive = self.responses.directive(
            lookup, decision=decision, errors=bool(hit.errors), allow_anonymous=self.allow_anonymous
        )
        return GraphQLResponse(
            data=hit.data, errors=list(hit.errors), cache_control=directive.cache_control
        )
