"""EntityCachingFetcher: a ``SubgraphFetcher`` wrapper caching subgraph fetches and entities.

Phases of one fetch:

1. describe the body (``fetch_bodies``: once per distinct body): a mutation passes
   straight through, never cached nor de-duplicated;
2. ``_entities`` fetches are split per representation: one backend round trip reads the
   generations and every representation's entry; only the misses are sent (the body's
   ``representations`` rewritten, order kept) and the answers stitched back in the
   original order, with error paths renumbered;
3. other query fetches are cached whole, per body and caller partition;
4. misses go through single flight, so concurrent identical fetches make one call;
5. a result is stored only when it is complete: no error on the entity (no pathless
   error at all), not ``no-store``/``private`` from the subgraph (``private`` is kept only
   where the scope is ``caller`` already), with a TTL of the shortest of the subgraph's
   max-age and the configured TTL.

Every fetch notes its lifetime and scope in the request's ``FetchReport`` so the response
gets a correct ``Cache-Control``. Wrap the signing fetcher (this one rewrites the body
that is then signed): ``EntityCachingFetcher(SigningFetcher(http, secret), layer)``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from gateway.caching.fetch_bodies import BodyDescriptions, Entities, FetchBody, entities_body
from gateway.caching.hints import FetchReport, SubgraphHint, current_report, subgraph_hint
from gateway.caching.keys import CallerContext, digest, partition
from gateway.caching.layer import CacheLayer, generation
from gateway.caching.settings import Scope, stricter
from gateway.caching.singleflight import SingleFlight
from gateway.executor.eager import leave_eager
from gateway.transport.fetcher import SubgraphFetcher, SubgraphRequest, SubgraphResponse

__all__ = ["EntityCachingFetcher"]


class EntityCachingFetcher:
    # Answers from the in-process cache without waiting, and leaves an eager start
    # (gateway.executor.eager) itself before calling the subgraph or a remote backend.
    eager_safe = True

    def __init__(self, inner: SubgraphFetcher, layer: CacheLayer) -> None:
        self.inner = inner
        self.layer = layer
        self.flights = SingleFlight()
        self.bodies = BodyDescriptions(layer)

    async def fetch(self, request: SubgraphRequest) -> SubgraphResponse:
        body = self.bodies.describe(request.service_name, request.body)
        report = current_report()
        if body is None:
            return await self._inner(request)
        if body.op.mutation:
            self.layer.stats.fetches.uncacheable += 1
            if report is not None:
                report.note(no_store=True)
            return await self._inner(request)
        caller = _caller(request.context)
        if body.entities is not None:
            return await self._entities(request, caller, body, body.entities, report)
        return await self._root(request, caller, body, report)

    # -- root fetches -------------------------------------------------------------------
    async def _root(
        self,
        request: SubgraphRequest,
        caller: CallerContext,
        body: FetchBody,
        report: FetchReport | None,
    ) -> SubgraphResponse:
        layer, stats = self.layer, self.layer.stats.fetches
        service = request.service_name
        scope = layer.settings.scope_for(service)
        enabled = layer.settings.entities and scope != "none"
        prefix = self._prefix(_prefixes(request.context), caller, scope, service, entity=False)
        key = prefix + body.payload[:40]
        gen_keys = [
            g
            for t in body.op.types
            for g in (layer.keys.type_generation(t), layer.keys.aggregate_generation(t))
        ]
        generations: list[str] = []
        if enabled:
            values = await layer.store.get_many([*gen_keys, key])
            generations = [generation(v) for v in values[:-1]]
            entry = layer.decode(values[-1], generations)
            if entry is not None:
                stats.hits += 1
                stats.subgraph_calls_saved += 1
                if report is not None:
                    report.note(max_age=entry.remaining, private=scope != "shared")
                return SubgraphResponse(200, entry.value, {})
            stats.misses += 1
        response = await self._call(request, self._flight_key(service, request.body, caller, scope))
        hint = subgraph_hint(response.headers, response.payload)
        # A root fetch may hold several types: the shortest configured lifetime applies.
        settings = layer.settings
        configured = min((settings.ttl_for(t) for t in body.op.types), default=settings.default_ttl)
        ttl = _ttl(hint, configured)
        if report is not None:
            report.note(
                max_age=ttl,
                private=scope != "shared" or hint.private,
                no_store=hint.no_store or scope == "none",
            )
        if not enabled:
            return response
        payload = response.payload
        if (
            response.status >= 300
            or payload.get("errors")
            or not isinstance(payload.get("data"), dict)
            or not _storable(hint, scope)
        ):
            stats.uncacheable += 1
            return response
        if await layer.store.set_many([(key, layer.encode(payload, generations, ttl), ttl)]):
            stats.stores += 1
        return response

    # -- entity fetches -----------------------------------------------------------------
    async def _entities(
        self,
        request: SubgraphRequest,
        caller: CallerContext,
        body: FetchBody,
        plan: Entities,
        report: FetchReport | None,
    ) -> SubgraphResponse:
        layer, settings = self.layer, self.layer.settings
        stats = layer.stats.entities
        service = request.service_name
        count = len(plan.representations)
        scopes, typenames = plan.scopes, plan.typenames
        gens = plan.lookup_gens
        prefixes = _prefixes(request.context)

        # 1. The whole answer, when every representation may be cached: one entry.
        whole_key: str | None = None
        current: dict[str, str] | None = None
        if plan.whole_scope is not None:
            # Kept as a fetch result (like a root fetch's), beside its entities.
            prefix = self._prefix(prefixes, caller, plan.whole_scope, service, entity=False)
            whole_key = prefix + body.payload[:40]
            values = await layer.store.get_many([*gens, whole_key])
            now = [generation(v) for v in values[:-1]]
            entry = layer.decode(values[-1], now)
            if entry is not None and isinstance(entry.value, list) and len(entry.value) == count:
                stats.hits += count
                layer.stats.fetches.subgraph_calls_saved += 1
                if report is not None:
                    report.note(max_age=entry.remaining, private=plan.whole_scope != "shared")
                return SubgraphResponse(200, {"data": {"_entities": entry.value}})
            current = dict(zip(gens, now, strict=True))

        # 2. Each representation's entry.
        keys: list[str | None] = [None] * count
        for i in plan.cached:
            prefix = self._prefix(prefixes, caller, scopes[i], service, entity=True)
            keys[i] = prefix + (plan.payloads[i] or "")
        expected: list[list[str]] = [[] for _ in range(count)]
        hits: dict[int, Any] = {}
        remaining: int | None = None
        if plan.cached:
            wanted = [keys[i] or "" for i in plan.cached]
            if current is None:
                values = await layer.store.get_many([*gens, *wanted])
                current = dict(zip(gens, map(generation, values), strict=False))
                values = values[len(gens) :]
            else:
                values = await layer.store.get_many(wanted)
            type_gens = [current[k] for k in plan.type_gen_keys]
            private = False
            for i, raw in zip(plan.cached, values, strict=True):
                expected[i] = [*type_gens, *(current[g] for g in plan.entity_gens[i])]
                entry = layer.decode(raw, expected[i])
                if entry is not None:
                    hits[i] = entry.value
                    left = entry.remaining
                    remaining = left if remaining is None else min(remaining, left)
                    private = private or scopes[i] != "shared"
            if hits and report is not None:
                report.note(max_age=remaining, private=private)
        misses = [i for i in range(count) if i not in hits]
        stats.hits += len(hits)
        stats.misses += sum(1 for i in misses if keys[i] is not None)
        if not misses:
            layer.stats.fetches.subgraph_calls_saved += 1
            answer = [hits[i] for i in range(count)]
            if whole_key is not None and current is not None and remaining:
                whole = self._whole_entry(whole_key, answer, gens, current, remaining)
                await layer.store.set_many([whole])
            return SubgraphResponse(200, {"data": {"_entities": answer}})

        # 3. The misses, from the subgraph.
        sent = request
        if hits:
            sent = SubgraphRequest(
                request.service_name,
                request.url,
                entities_body(
                    body.query,
                    body.name,
                    plan.others,
                    [plan.representations[i] for i in misses],
                ),
                dict(request.headers),
                request.context,
            )
        flight_scope: Scope = "shared"
        for i in misses:
            flight_scope = stricter(flight_scope, scopes[i])
        response = await self._call(
            sent, self._flight_key(service, sent.body, caller, flight_scope)
        )
        hint = subgraph_hint(response.headers, response.payload)
        if report is not None:
            report.note(
                max_age=_ttl(hint, min(settings.ttl_for(typenames[i]) for i in misses)),
                private=flight_scope != "shared" or hint.private,
                no_store=hint.no_store or flight_scope == "none",
            )
        payload = response.payload
        data = payload.get("data")
        entities = data.get("_entities") if isinstance(data, dict) else None
        errors = payload.get("errors")
        errors = errors if isinstance(errors, list) else ([errors] if errors else [])
        if not isinstance(entities, list) or len(entities) != len(misses):
            stats.uncacheable += len(misses)
            if not hits:
                return response
            # Unusable answer for the misses: report it for all, as the executor expects.
            return SubgraphResponse(
                response.status, {"data": None, "errors": errors or []}, response.headers
            )

        failed, pathless = _error_positions(errors)
        items = self._entries(
            misses,
            entities,
            keys,
            expected,
            typenames,
            scopes,
            hint,
            failed,
            pathless,
            bool(errors),
            response.status,
        )
        stitched: list[Any] = [None] * count
        for i, value in hits.items():
            stitched[i] = value
        for j, i in enumerate(misses):
            stitched[i] = entities[j]
        if whole_key is not None and current is not None and len(items) == len(misses):
            # Complete: every part stored, so the whole may be (for the shortest lifetime).
            shortest = min(ttl for _, _, ttl in items)
            if remaining is not None:
                shortest = min(shortest, remaining)
            if shortest > 0:
                items.append(self._whole_entry(whole_key, stitched, gens, current, shortest))
        if items and await layer.store.set_many(items):
            stats.stores += sum(1 for key, _, _ in items if key != whole_key)
        if not hits:
            return response
        out: dict[str, Any] = {"data": {"_entities": stitched}}
        if errors:
            out["errors"] = [_renumber(e, misses) for e in errors]
        if "extensions" in payload:
            out["extensions"] = payload["extensions"]
        return SubgraphResponse(response.status, out, response.headers)

    def _whole_entry(
        self,
        key: str,
        answer: list[Any],
        gens: Sequence[str],
        current: dict[str, str],
        ttl: int,
    ) -> tuple[str, bytes, int]:
        """A fetch's whole answer, stamped with the generations of every part of it."""
        return key, self.layer.encode(answer, [current[g] for g in gens], ttl), ttl

    def _entries(
        self,
        misses: list[int],
        entities: list[Any],
        keys: Sequence[str | None],
        expected: Sequence[Sequence[str]],
        typenames: Sequence[str | None],
        scopes: Sequence[Scope],
        hint: SubgraphHint,
        failed: set[int],
        pathless: bool,
        any_errors: bool,
        status: int,
    ) -> list[tuple[str, bytes, int]]:
        """The entries to store for the misses: only complete, storable entities."""
        layer = self.layer
        stats = layer.stats.entities
        items: list[tuple[str, bytes, int]] = []
        for j, i in enumerate(misses):
            key = keys[i]
            if key is None:
                continue
            entity = entities[j]
            if (
                status >= 300
                or pathless
                or j in failed
                or (entity is None and any_errors)  # null because of an error, maybe
                or not isinstance(entity, dict | None)
                or not _storable(hint, scopes[i])
            ):
                stats.uncacheable += 1
                continue
            ttl = _ttl(hint, layer.settings.ttl_for(typenames[i]))
            items.append((key, layer.encode(entity, expected[i], ttl), ttl))
        return items

    def _prefix(
        self,
        prefixes: dict[tuple[str, str, bool], str],
        caller: CallerContext,
        scope: Scope,
        service: str,
        *,
        entity: bool,
    ) -> str:
        prefix = prefixes.get((scope, service, entity))
        if prefix is None:
            prefix = self.layer.keys.fetch_prefix(caller, scope, service, entity=entity)
            prefixes[(scope, service, entity)] = prefix
        return prefix

    # -- calls --------------------------------------------------------------------------
    def _flight_key(
        self, service: str, body: bytes, caller: CallerContext, scope: Scope
    ) -> Hashable:
        # A result that is not shared is de-duplicated only among identical callers.
        who = partition(caller, "caller" if scope == "none" else scope)
        return (service, who, digest(body))

    async def _inner(self, request: SubgraphRequest) -> SubgraphResponse:
        await leave_eager()
        return await self.inner.fetch(request)

    async def _call(self, request: SubgraphRequest, key: Hashable) -> SubgraphResponse:
        if not self.layer.settings.dedup:
            return await self._inner(request)
        response, shared = await self.flights.run(key, lambda: self._inner(request))
        if shared:
            self.layer.stats.fetches.deduplicated += 1
            self.layer.stats.fetches.subgraph_calls_saved += 1
        return response


_DERIVED = "entity-cache"


def _derived(context: Any) -> tuple[CallerContext, dict[tuple[str, str, bool], str]]:
    """The caller's key facts and entity key prefixes, worked out once per request."""
    derived = getattr(context, "derived", None)
    if not isinstance(derived, dict):
        return CallerContext.of(context), {}
    found = derived.get(_DERIVED)
    if found is None:
        found = (CallerContext.of(context), {})
        derived[_DERIVED] = found
    return found


def _caller(context: Any) -> CallerContext:
    return _derived(context)[0]


def _prefixes(context: Any) -> dict[tuple[str, str, bool], str]:
    return _derived(context)[1]


def _ttl(hint: SubgraphHint, configured: int) -> int:
    return configured if hint.max_age is None else min(hint.max_age, configured)


def _storable(hint: SubgraphHint, scope: Scope) -> bool:
    if hint.no_store or scope == "none":
        return False
    # Whether data is private is decided by configuration, never learned from an answer:
    # a "private" answer is stored only where entries are per caller already.
    return not hint.private or scope == "caller"


def _error_positions(errors: list[Any]) -> tuple[set[int], bool]:
    """Indexes of ``_entities`` that have errors, and whether any error has no such index."""
    failed: set[int] = set()
    pathless = False
    for error in errors:
        path = error.get("path") if isinstance(error, dict) else None
        if (
            isinstance(path, list)
            and len(path) >= 2
            and path[0] == "_entities"
            and isinstance(path[1], int)
        ):
            failed.add(path[1])
        else:
            pathless = True
    return failed, pathless


def _renumber(error: Any, misses: list[int]) -> Any:
    path = error.get("path") if isinstance(error, dict) else None
    if (
        isinstance(path, list)
        and len(path) >= 2
        and path[0] == "_entities"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(misses)
    ):
        return {**error, "path": ["_entities", misses[path[1]], *path[2:]]}
    return error
