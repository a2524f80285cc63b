"""The request pipeline: parse → validate → coerce → authorize → plan → execute →
post-process → shape. Each stage is a call with plain data in and out; caching, policy,
audit and telemetry attach at these boundaries, never inside the planner or executor.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from graphql import OperationType

from gateway.caching.lru import LRUCache
from gateway.caching.responses import ResponseCache, ResponseLookup
from gateway.errors import (
    ClientError,
    ForbiddenError,
    GatewayError,
    InternalError,
    MethodNotAllowedError,
)
from gateway.executor import Executor
from gateway.executor.shape import ResponseShape, compile_shape
from gateway.pipeline.document import DocumentStage, PreparedOperation
from gateway.pipeline.introspection import (
    operation_named,
    run_introspection,
    without_introspection,
)
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.pipeline.stages import (
    AccessRecorder,
    AuthorizationOutcome,
    Authorizer,
    PostProcessOutcome,
)
from gateway.pipeline.variables import coerce_variables
from gateway.planner import QueryPlanner
from gateway.planner.nodes import QueryPlan
from gateway.supergraph import Supergraph
from gateway.telemetry.spans import stage_span

__all__ = ["Pipeline"]

log = logging.getLogger("govgraph.pipeline")


class Pipeline:
    def __init__(
        self,
        supergraph: Supergraph,
        executor: Executor,
        *,
        authorizer: Authorizer | None = None,
        access_recorder: AccessRecorder | None = None,
        responses: ResponseCache | None = None,
        allow_anonymous: bool = False,
        document_cache_size: int = 2000,
        plan_cache_size: int = 2000,
        max_query_bytes: int = 100_000,
        max_depth: int = 25,
        introspection: bool = True,
    ) -> None:
        self.supergraph = supergraph
        self.executor = executor
        self.authorizer = authorizer
        self.access_recorder = access_recorder
        self.responses = responses
        self.allow_anonymous = allow_anonymous
        self.documents = DocumentStage(
            supergraph.api_schema,
            max_entries=document_cache_size,
            max_query_bytes=max_query_bytes,
            max_depth=max_depth,
            introspection=introspection,
        )
        self.planner = QueryPlanner(supergraph)
        self.plans: LRUCache[tuple[str, str | None, str], QueryPlan] = LRUCache(plan_cache_size)
        self.shapes: LRUCache[tuple[str, str | None], ResponseShape] = LRUCache(document_cache_size)

    async def run(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        try:
            return await self._run(request, context)
        except ClientError as exc:
            return _refused(exc)
        except GatewayError as exc:
            log.exception("gateway error")
            return GraphQLResponse(errors=[exc.to_graphql()], executed=False, status=exc.status)
        except Exception:
            # Never a stack trace to the client; the full error goes to the log.
            log.exception("unexpected error in the pipeline")
            return _refused(InternalError("internal"))

    async def _run(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResponse:
        with stage_span("validate"):
            op = self.documents.prepare(request.query, request.operation_name)
        if request.http_method == "GET" and op.operation_type is not OperationType.QUERY:
            raise MethodNotAllowedError(
                f"a {op.operation_type.value} cannot be sent with GET; use POST"
            )
        context = replace(context, schema_hash=self.supergraph.hash, derived={})
        variables = coerce_variables(self.supergraph.api_schema, op.operation, request.variables)

        decision: AuthorizationOutcome | None = None
        if self.authorizer is not None:
            with stage_span("authorize"):
                decision = self.authorizer.authorize(op, variables, context)
            context = replace(
                context,
                policy_version=self.authorizer.version,
                auth_fingerprint=decision.fingerprint,
                derived={},
            )
            would_deny = getattr(decision, "dry_run_errors", None)
            if would_deny:
                # Dry-run serves everything; what filter mode would have removed is logged
                # so officers can judge a policy before enforcing it.
                log.warning(
                    "policy dry-run: %s %s would lose %s",
                    context.principal.subject or context.principal.client_id or "anonymous",
                    op.operation_name or op.key[:12],
                    [e.get("path") for e in would_deny],
                )
            if decision.rejected:
                raise ForbiddenError(
                    "the operation asks for data the caller may not see",
                    extensions={"errors": decision.errors},
                )

        # Response cache boundary: after authorization (the key carries the caller's
        # effective grants), before planning. A hit is recorded exactly like a miss.
        lookup: ResponseLookup | None = None
        if self.responses is not None:
            lookup = await self.responses.lookup(op, variables, self._cache_context(context))
            if lookup.hit is not None:
                return await self._answer_from_cache(lookup, op, context, decision)

        errors: list[dict[str, Any]] = list(decision.errors) if decision else []
        intro_data: dict[str, Any] = {}
        if op.has_introspection:
            intro_data, intro_errors = run_introspection(
                self.supergraph.api_schema, op.document, op.operation, variables
            )
            errors.extend(intro_errors)
            if op.only_introspection:
                return GraphQLResponse(data=intro_data, errors=errors)

        plan = self._plan(op, decision)
        with stage_span("execute"):
            result = await self.executor.execute(
                plan, variables, context=context, operation_name=op.operation_name
            )
        errors.extend(result.errors)
        if self.responses is not None and op.operation_type is OperationType.MUTATION:
            # Before post-processing, which may mask the key fields that name the entities.
            await self.responses.invalidate_returned(op, result.data)

        post: PostProcessOutcome | None = None
        if decision is not None:
            with stage_span("post_process"):
                post = decision.post_process(result.data, errors)

        with stage_span("shape"):
            data = self._shape(op).project(result.data, variables, errors)
        if intro_data and data is not None:
            data = {**intro_data, **data}

        if decision is not None and self.access_recorder is not None and decision.personal_fields:
            # Written before the response leaves: evidence first, then data.
            await self.access_recorder.record(
                operation=op,
                context=context,
                decision=decision,
                outcome=post,
                policy_version=self.authorizer.version if self.authorizer else "",
            )
        response = GraphQLResponse(data=data, errors=errors)
        if lookup is not None and self.responses is not None:
            await self.responses.store(
                lookup,
                data=data,
                errors=errors,
                decision_errors=decision.errors if decision is not None else (),
                data_subjects=post.data_subjects if post is not None else frozenset(),
                personal_fields=decision.personal_fields if decision else frozenset(),
            )
            response.cache_control = self.responses.directive(
                lookup, decision=decision, errors=bool(errors), allow_anonymous=self.allow_anonymous
            ).cache_control
        return response

    def _cache_context(self, context: RequestContext) -> RequestContext:
        # The authorization mode joins the key: a dry-run instance answers unfiltered and
        # must never fill entries that a filtering instance on the same Redis reads.
        mode = getattr(self.authorizer, "mode", "")
        return replace(context, policy_version=f"{context.policy_version}|{mode}", derived={})

    async def _answer_from_cache(
        self,
        lookup: ResponseLookup,
        op: PreparedOperation,
        context: RequestContext,
        decision: AuthorizationOutcome | None,
    ) -> GraphQLResponse:
        hit = lookup.hit
        assert hit is not None and self.responses is not None
        if decision is not None and self.access_recorder is not None and decision.personal_fields:
            await self.access_recorder.record(
                operation=op,
                context=context,
                decision=decision,
                data_subjects=hit.data_subjects,
                policy_version=self.authorizer.version if self.authorizer else "",
            )
        directive = self.responses.directive(
            lookup, decision=decision, errors=bool(hit.errors), allow_anonymous=self.allow_anonymous
        )
        return GraphQLResponse(
            data=hit.data, errors=list(hit.errors), cache_control=directive.cache_control
        )

    def _plan(self, op: PreparedOperation, decision: AuthorizationOutcome | None) -> QueryPlan:
        key = (op.key, op.operation_name, decision.fingerprint if decision else "")
        plan = self.plans.get(key)
        if plan is None:
            document = decision.document if decision else op.document
            if op.has_introspection:
                operation = operation_named(document, op.operation_name)
                document = without_introspection(document, operation)
            with stage_span("plan"):
                plan = self.planner.plan(document, op.operation_name)
            self.plans.put(key, plan)
        return plan

    def _shape(self, op: PreparedOperation) -> ResponseShape:
        key = (op.key, op.operation_name)
        shape = self.shapes.get(key)
        if shape is None:
            document = op.document
            if op.has_introspection:
                document = without_introspection(op.document, op.operation)
            shape = compile_shape(self.supergraph.api_schema, document, op.operation_name)
            self.shapes.put(key, shape)
        return shape


def _refused(exc: GatewayError) -> GraphQLResponse:
    nested = exc.extensions.get("errors")
    if isinstance(nested, list) and nested:
        # Nested errors keep a code they already carry (e.g. the policy's
        # UNAUTHORIZED_FIELD_OR_TYPE for each refused field); the others get the refusal's.
        errors = [
            {**e, "extensions": {"code": exc.code, **(e.get("extensions") or {})}} for e in nested
        ]
    else:
        errors = [exc.to_graphql()]
    return GraphQLResponse(
        errors=errors,
        executed=False,
        status=exc.status,
        # Parse and validation failures follow the media type's rules; anything else
        # refused before execution (bad variables, wrong method) is an HTTP-level 4xx.
        request_error=exc.code not in ("GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"),
    )
