"""The plan interpreter: runs a ``QueryPlan`` against the subgraphs and merges their data.

One dispatch over node kinds. ``Flatten`` is the only node that moves the cursor. A fetch
is prepared synchronously (representations gathered and encoded), then awaited, then
merged synchronously, so concurrent siblings never see a half-merged tree. A fetch that
fails adds located errors and leaves its part of the tree missing; fetches below it find
no objects (or no keys) and are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.errors import (
    InternalError,
    SubgraphBadResponseError,
    SubgraphError,
    SubgraphUnavailableError,
)
from gateway.executor.cursor import Cursor, PathKey
from gateway.executor.eager import gather_eagerly, leave_eager
from gateway.executor.merge import deep_merge
from gateway.executor.prepared import PreparedFetch, PreparedFetches
from gateway.executor.representations import apply_rewrites
from gateway.executor.subgraph_errors import (
    failure_errors,
    repath_entity_errors,
    repath_root_errors,
    root_response_keys,
)
from gateway.executor.tracing import fetch_span, fetch_tracer, inject_caller_context
from gateway.planner.nodes import (
    ConditionNode,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from gateway.transport.fetcher import SubgraphFetcher, SubgraphRequest

__all__ = ["ExecutionResult", "Executor"]

_EMPTY_TYPES: Mapping[str, frozenset[str]] = {}
log = logging.getLogger(__name__)


@dataclass(slots=True)
class ExecutionResult:
    """The merged data tree keyed by response keys (before shaping) and located errors."""

    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)


class Executor:
    """Interprets query plans; safe to share across concurrent requests."""

    def __init__(
        self,
        fetcher: SubgraphFetcher,
        subgraph_urls: Mapping[str, str],
        *,
        possible_types: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.fetcher = fetcher
        self.possible_types = possible_types or _EMPTY_TYPES
        self.prepared_fetches = PreparedFetches(subgraph_urls, self.possible_types)

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        *,
        context: Any = None,
        operation_name: str | None = None,
    ) -> ExecutionResult:
        data: dict[str, Any] = {}
        run = _Run(self, variables, context, operation_name)
        if plan.node is not None:
            await run.node(plan.node, Cursor.root(data, self.possible_types))
        return ExecutionResult(data, run.errors)


class _Run:
    """The state of one execution: variables, context and the errors collected so far."""

    __slots__ = ("_errors", "_started", "context", "executor", "operation_name", "variables")

    def __init__(
        self,
        executor: Executor,
        variables: Mapping[str, Any],
        context: Any,
        operation_name: str | None,
    ) -> None:
        self.executor = executor
        self.variables = variables
        self.context = context
        self.operation_name = operation_name
        # Errors per fetch, keyed by the order fetches started in (plan order for
        # siblings), so the response lists them the same way however replies interleave.
        self._errors: list[tuple[int, list[dict[str, Any]]]] = []
        self._started = 0

    @property
    def errors(self) -> list[dict[str, Any]]:
        if len(self._errors) == 1:
            return self._errors[0][1]
        return [error for _, batch in sorted(self._errors, key=_first) for error in batch]

    def _ticket(self) -> int:
        self._started += 1
        return self._started

    def _report(self, ticket: int, errors: list[dict[str, Any]]) -> None:
        if errors:
            self._errors.append((ticket, errors))

    async def node(self, node: PlanNode, cursor: Cursor) -> None:
        kind = type(node)
        if kind is FetchNode:
            assert isinstance(node, FetchNode)
            if node.requires is None:
                await self.root_fetch(node, cursor)
            else:
                await self.entity_fetch(node, cursor)
        elif kind is FlattenNode:
            assert isinstance(node, FlattenNode)
            inner = cursor.descend(node.path)
            if inner.objects:
                await self.node(node.node, inner)
        elif kind is SequenceNode:
            assert isinstance(node, SequenceNode)
            for child in node.nodes:
                await self.node(child, cursor)
        elif kind is ParallelNode:
            assert isinstance(node, ParallelNode)
            if len(node.nodes) == 1:
                await self.node(node.nodes[0], cursor)
            elif node.nodes:
                await gather_eagerly([self.node(child, cursor) for child in node.nodes])
        elif kind is ConditionNode:
            assert isinstance(node, ConditionNode)
            branch = node.if_clause if self.variables.get(node.condition) else node.else_clause
            if branch is not None:
                await self.node(branch, cursor)
        else:
            raise TypeError(f"not a plan node: {node!r}")

    def _prepare(self, node: FetchNode) -> PreparedFetch | None:
        try:
            return self.executor.prepared_fetches.get(node)
        except KeyError:
            return None

    async def _send(self, node: FetchNode, url: str, body: bytes) -> dict[str, Any]:
        headers: dict[str, str] = {}
        request = SubgraphRequest(node.service_name, url, body, headers, self.context)
        fetcher = self.executor.fetcher
        if not getattr(fetcher, "eager_safe", False):
            await leave_eager()
        tracer = fetch_tracer()
        if tracer is None:
            inject_caller_context(headers)
            response = await fetcher.fetch(request)
        else:
            with fetch_span(tracer, node.service_name, node.operation_name, headers):
                response = await fetcher.fetch(request)
        return response.payload

    async def root_fetch(self, node: FetchNode, cursor: Cursor) -> None:
        ticket = self._ticket()
        prepared = self._prepare(node)
        try:
            if prepared is None:
                raise _not_configured(node)
            payload = await self._send(node, prepared.url, prepared.root_body(self.variables))
            data = payload.get("data")
            if data is not None and type(data) is not dict:
                raise _bad_shape(node, "its data is not an object")
        except Exception as exc:
            keys = root_response_keys(node.operation)
            located = [(*base, key) for base in cursor.paths() for key in keys]
            self._report(ticket, _failure(node, exc, located))
            return
        if data:
            if node.output_rewrites:
                apply_rewrites(data, node.output_rewrites, self.executor.possible_types)
            for obj in cursor.objects:
                deep_merge(obj, data)
        errors = payload.get("errors")
        if errors:
            self._report(
                ticket, repath_root_errors(_error_list(errors), node.service_name, cursor.paths())
            )

    async def entity_fetch(self, node: FetchNode, cursor: Cursor) -> None:
        ticket = self._ticket()
        prepared = self._prepare(node)
        objects = cursor.objects
        selector = prepared.selector if prepared is not None else None
        possible = self.executor.possible_types
        # owners[i]: positions in ``objects`` of the objects behind representation i.
        owners: list[list[int]] = []
        encoded: list[bytes] = []
        index_of: dict[bytes, int] = {}
        rewrites = node.input_rewrites
        if selector is not None:
            for position, obj in enumerate(objects):
                representation = selector.select(obj)
                if representation is None:
                    continue
                if rewrites:
                    apply_rewrites(representation, rewrites, possible)
                key = orjson.dumps(representation)
                index = index_of.get(key)
                if index is None:
                    index_of[key] = len(encoded)
                    encoded.append(key)
                    owners.append([position])
                else:
                    owners[index].append(position)
        elif prepared is None and objects:
            owners = [list(range(len(objects)))]
        if not owners:
            return
        try:
            if prepared is None:
                raise _not_configured(node)
            body = prepared.entities_body(encoded, self.variables)
            payload = await self._send(node, prepared.url, body)
            data = payload.get("data")
            entities = data.get("_entities") if type(data) is dict else None
            errors = payload.get("errors")
            if entities is None and not errors:
                raise _bad_shape(node, "it returned no _entities")
            if entities is not None and (
                type(entities) is not list or len(entities) != len(owners)
            ):
                raise _bad_shape(
                    node,
                    f"it returned {_count(entities)} entities for {len(owners)} representations",
                )
        except Exception as exc:
            paths = cursor.paths()
            located = [paths[p] for p in sorted(_flat(owners))]
            self._report(ticket, _failure(node, exc, located))
            return
        if entities is not None:
            out_rewrites = node.output_rewrites
            for index, entity in enumerate(entities):
                if type(entity) is not dict:
                    continue
                if out_rewrites:
                    apply_rewrites(entity, out_rewrites, possible)
                for position in owners[index]:
                    deep_merge(objects[position], entity)
        if errors:
            self._report(
                ticket,
                repath_entity_errors(
                    _error_list(errors),
                    node.service_name,
                    owners,
                    cursor.paths(),
                    locate_pathless=entities is None,
                ),
            )


def _failure(node: FetchNode, exc: Exception, paths: list[PathKey]) -> list[dict[str, Any]]:
    if isinstance(exc, SubgraphError):
        return failure_errors(exc, paths)
    # A bug or a broken dependency in a fetch wrapper: log it in full, keep the rest of
    # the response, and tell the client no more than that this part failed.
    log.exception("fetch from subgraph %r failed unexpectedly", node.service_name)
    internal = InternalError(f"fetch from subgraph {node.service_name!r} failed")
    return failure_errors(internal, paths, node.service_name)


def _first(item: tuple[int, list[dict[str, Any]]]) -> int:
    return item[0]


def _flat(owners: list[list[int]]) -> list[int]:
    return [position for owner in owners for position in owner]


def _error_list(errors: Any) -> list[Any]:
    return errors if type(errors) is list else [errors]


def _count(entities: Any) -> int | str:
    return len(entities) if type(entities) is list else "no list of"


def _not_configured(node: FetchNode) -> SubgraphError:
    name = node.service_name
    return SubgraphUnavailableError(name, f"subgraph '{name}' has no URL configured")


def _bad_shape(node: FetchNode, why: str) -> SubgraphError:
    name = node.service_name
    return SubgraphBadResponseError(name, f"subgraph '{name}' sent an unusable response: {why}")
