"""ResponseCache: whole query responses, for callers with the same authorization context.

The key holds the schema hash, the policy version, the operation (text hash and name),
its variables (canonical JSON), the auth fingerprint and the purpose — and the caller's
subject and client unless every subgraph is configured to answer by authorization alone.
An entry is stored only for a complete response (data, and no error other than the
authorization decision's own), with the data subjects and personal fields the access log
needs, so a hit is recorded exactly like a miss. It lives as long as its shortest part
and dies when a type it touches is invalidated (the generations are checked on read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import DocumentNode, GraphQLSchema, OperationType

from gateway.caching.cache_control import CacheDirective, caller_dependent, response_cache_control
from gateway.caching.hints import FetchReport, begin_report
from gateway.caching.invalidation import ReturnedEntities, returned_entities
from gateway.caching.keys import CallerContext
from gateway.caching.layer import CacheLayer, generation
from gateway.caching.lru import LRUCache
from gateway.caching.schema_facts import touched_types
from gateway.caching.settings import Scope, stricter

__all__ = ["CachedResponse", "ResponseCache", "ResponseLookup"]


class _Operation(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def document(self) -> DocumentNode: ...
    @property
    def operation_name(self) -> str | None: ...
    @property
    def operation_type(self) -> OperationType: ...


@dataclass(frozen=True, slots=True)
class CachedResponse:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]
    data_subjects: frozenset[str]
    personal_fields: frozenset[str]
    max_age: int
    private: bool


@dataclass(slots=True)
class ResponseLookup:
    """One request's view of the response cache; ``hit`` is set when it can be answered."""

    report: FetchReport
    key: str | None = None
    generations: list[str] = field(default_factory=list)
    mutation: bool = False  # any operation but a query: never stored, no-store
    hit: CachedResponse | None = None


class ResponseCache:
    def __init__(self, layer: CacheLayer, api_schema: GraphQLSchema) -> None:
        self.layer = layer
        self.api_schema = api_schema
        self._types: LRUCache[tuple[str, str | None], tuple[str, ...]] = LRUCache(4096)
        settings = layer.settings
        scope: Scope = "authorization"
        for configured in [
            settings.default_scope,
            *settings.subgraph_scopes.values(),
            *settings.type_scopes.values(),
        ]:
            if configured != "none":  # "none" parts refuse per request (report.no_store)
                scope = stricter(scope, configured)
        self.scope: Scope = scope

    def _generation_keys(self, op: _Operation) -> list[str]:
        types = self._types.get((op.key, op.operation_name))
        if types is None:
            types = tuple(sorted(touched_types(self.api_schema, op.document, op.operation_name)))
            self._types.put((op.key, op.operation_name), types)
        keys = self.layer.keys
        return [g for t in types for g in (keys.type_generation(t), keys.aggregate_generation(t))]

    async def lookup(
        self, operation: _Operation, variables: Mapping[str, Any], context: Any
    ) -> ResponseLookup:
        """Open the request's fetch report, and find a stored response for it.

        Call after authorization (``context`` carries the fingerprint and versions) and
        before planning; queries only.
        """
        lookup = ResponseLookup(report=begin_report())
        if operation.operation_type is not OperationType.QUERY:
            lookup.mutation = True  # mutations (and subscriptions) are never stored
            return lookup
        if not self.layer.settings.responses:
            return lookup
        layer, stats = self.layer, self.layer.stats.responses
        caller = CallerContext.of(context)
        lookup.key = layer.keys.response(
            caller, self.scope, operation.key, operation.operation_name, variables
        )
        gen_keys = self._generation_keys(operation)
        values = await layer.store.get_many([*gen_keys, lookup.key])
        lookup.generations = [generation(v) for v in values[:-1]]
        entry = layer.decode(values[-1], lookup.generations)
        if entry is None:
            stats.misses += 1
            return lookup
        stats.hits += 1
        value = entry.value
        lookup.hit = CachedResponse(
            data=value["data"],
            errors=value["errors"],
            data_subjects=frozenset(value["subjects"]),
            personal_fields=frozenset(value["personal"]),
            max_age=entry.remaining,
            private=bool(value["private"]),
        )
        # The fetches the response took when it was filled are the calls this hit spares.
        stats.subgraph_calls_saved += int(value.get("fetches", 0))
        return lookup

    async def store(
        self,
        lookup: ResponseLookup,
        *,
        data: dict[str, Any] | None,
        errors: Sequence[dict[str, Any]],
        decision_errors: Sequence[dict[str, Any]] = (),
        data_subjects: frozenset[str] | set[str] = frozenset(),
        personal_fields: frozenset[str] = frozenset(),
    ) -> bool:
        """Store a complete response; anything partial or uncacheable is refused (False)."""
        if lookup.key is None or lookup.hit is not None:
            return False
        stats = self.layer.stats.responses
        report = lookup.report
        expected = list(decision_errors)
        complete = data is not None and all(e in expected for e in errors)
        ttl = self.layer.settings.default_ttl
        if report.max_age is not None:
            ttl = min(ttl, report.max_age)
        if not complete or report.no_store or ttl <= 0:
            stats.uncacheable += 1
            return False
        value = {
            "data": data,
            "errors": list(errors),
            "subjects": sorted(data_subjects),
            "personal": sorted(personal_fields),
            "private": report.private,
            "fetches": report.fetches,
        }
        raw = self.layer.encode(value, lookup.generations, ttl)
        if await self.layer.store.set_many([(lookup.key, raw, ttl)]):
            stats.stores += 1
            return True
        return False

    def directive(
        self,
        lookup: ResponseLookup,
        *,
        decision: Any | None,
        errors: bool,
        allow_anonymous: bool = False,
    ) -> CacheDirective:
        """The response's ``Cache-Control``/``Vary`` (see gateway.caching.cache_control)."""
        personal = bool(getattr(decision, "personal_fields", None))
        hit = lookup.hit
        report = lookup.report
        return response_cache_control(
            personal=personal or bool(hit and hit.personal_fields),
            caller_dependent=caller_dependent(decision, allow_anonymous),
            max_age=hit.max_age if hit else report.max_age,
            default_ttl=self.layer.settings.default_ttl,
            private=hit.private if hit else report.private,
            no_store=False if hit else report.no_store,
            errors=errors,
            mutation=lookup.mutation,
        )

    async def invalidate_returned(
        self, operation: _Operation, data: Mapping[str, Any] | None
    ) -> ReturnedEntities:
        """After a mutation: invalidate every entity its data returned (see invalidation).

        Pass the executor's data, before post-processing masks key fields.
        """
        if operation.operation_type is not OperationType.MUTATION:
            return ReturnedEntities()
        returned = returned_entities(
            self.api_schema,
            self.layer.entity_keys,
            operation.document,
            operation.operation_name,
            data,
        )
        await self.layer.invalidate_entities(returned.entities, returned.types)
        return returned
