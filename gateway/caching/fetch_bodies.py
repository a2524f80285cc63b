"""What a subgraph fetch body asks for, worked out once per distinct body.

The executor sends the same bodies again and again (plans are cached), so everything about
a body that does not depend on the caller is computed on its first sight and kept: the
operation's kind and the types it can return; for ``_entities`` fetches, each
representation's type, scope, key digest and entity generation keys. Per request only the
caller's key prefix is added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, OperationType, parse

from gateway.caching.keys import canonical, digest
from gateway.caching.layer import CacheLayer
from gateway.caching.lru import LRUCache
from gateway.caching.schema_facts import touched_types
from gateway.caching.settings import Scope, stricter

__all__ = ["BodyDescriptions", "Entities", "FetchBody", "FetchOperation", "entities_body"]


@dataclass(frozen=True, slots=True)
class FetchOperation:
    mutation: bool
    types: tuple[str, ...]  # composite types the operation can return, sorted


@dataclass(frozen=True, slots=True)
class Entities:
    """What an ``_entities`` body asks for, with everything about it that does not depend
    on the caller, worked out once per distinct body."""

    representations: list[Any]
    others: dict[str, Any]  # the variables other than the representations
    typenames: tuple[str | None, ...]
    scopes: tuple[Scope, ...]
    payloads: tuple[str | None, ...]  # key digest per representation; None: not cached
    entity_gens: tuple[tuple[str, ...], ...]  # entity generation keys per representation
    type_gen_keys: tuple[str, ...]
    lookup_gens: tuple[str, ...]  # type and entity generation keys, distinct
    cached: tuple[int, ...]  # positions with a payload
    # Every representation cacheable: the whole answer is kept too, under this scope
    # (the strictest of theirs), so a repeated fetch is one lookup instead of one each.
    whole_scope: Scope | None


@dataclass(frozen=True, slots=True)
class FetchBody:
    query: str
    name: str | None
    op: FetchOperation
    entities: Entities | None
    payload: str  # digest of operation text, name and variables (root fetches)


class BodyDescriptions:
    """The descriptions of the bodies seen, by subgraph and body hash (bounded)."""

    def __init__(self, layer: CacheLayer, max_entries: int = 4096) -> None:
        self.layer = layer
        self._operations: LRUCache[str, FetchOperation] = LRUCache(max_entries)
        self._bodies: LRUCache[tuple[str, bytes], tuple[FetchBody | None]] = LRUCache(max_entries)
        self._schema: object = layer.supergraph

    def describe(self, service: str, body: bytes) -> FetchBody | None:
        """None when the body is not a GraphQL request this cache understands."""
        if self._schema is not self.layer.supergraph:
            # A new supergraph changes the types an operation touches and the entity keys.
            self._bodies.clear()
            self._operations.clear()
            self._schema = self.layer.supergraph
        key = (service, hashlib.sha256(body).digest())
        known = self._bodies.get(key)
        if known is None:
            known = (self._describe_body(service, body),)
            self._bodies.put(key, known)
        return known[0]

    def _describe_body(self, service: str, raw: bytes) -> FetchBody | None:
        parsed = _body(raw)
        if parsed is None:
            return None
        query, name, variables = parsed
        op = self._operation(query, name)
        payload = digest(query, name or "", canonical(variables))
        representations = variables.get("representations")
        entities = None
        if isinstance(representations, list) and "_entities" in query and not op.mutation:
            entities = self._describe_entities(service, query, name, op, variables)
        return FetchBody(query, name, op, entities, payload)

    def _describe_entities(
        self,
        service: str,
        query: str,
        name: str | None,
        op: FetchOperation,
        variables: dict[str, Any],
    ) -> Entities:
        layer, settings = self.layer, self.layer.settings
        representations: list[Any] = variables["representations"]
        others = {k: v for k, v in variables.items() if k != "representations"}
        operation = digest(query, name or "", canonical(others))
        typenames: list[str | None] = []
        scopes: list[Scope] = []
        payloads: list[str | None] = []
        entity_gens: list[tuple[str, ...]] = []
        for rep in representations:
            typename = rep.get("__typename") if isinstance(rep, dict) else None
            typename = typename if isinstance(typename, str) else None
            typenames.append(typename)
            scope = settings.scope_for(service, typename)
            scopes.append(scope)
            if not settings.entities or scope == "none" or not isinstance(rep, dict):
                payloads.append(None)
                entity_gens.append(())
                continue
            payloads.append(layer.keys.entity_payload(operation, canonical(rep)))
            entity_gens.append(
                tuple(
                    layer.keys.entity_generation(typename or "", fields)
                    for fields in layer.entity_keys.representation_keys(rep)
                )
            )
        type_gen_keys = tuple(
            layer.keys.type_generation(t) for t in sorted({*op.types, *(t for t in typenames if t)})
        )
        lookup_entities = sorted({g for gens in entity_gens for g in gens})
        whole_scope: Scope | None = None
        if representations and all(p is not None for p in payloads):
            whole_scope = "shared"
            for scope in scopes:
                whole_scope = stricter(whole_scope, scope)
        return Entities(
            representations=representations,
            others=others,
            typenames=tuple(typenames),
            scopes=tuple(scopes),
            payloads=tuple(payloads),
            entity_gens=tuple(entity_gens),
            type_gen_keys=type_gen_keys,
            lookup_gens=(*type_gen_keys, *lookup_entities),
            cached=tuple(i for i, p in enumerate(payloads) if p is not None),
            whole_scope=whole_scope,
        )

    def _operation(self, query: str, name: str | None) -> FetchOperation:
        key = digest(query, name or "")
        op = self._operations.get(key)
        if op is None:
            op = _describe_operation(
                query, name, self.layer.supergraph.schema if self.layer.supergraph else None
            )
            self._operations.put(key, op)
        return op


def _describe_operation(
    query: str, name: str | None, schema: GraphQLSchema | None
) -> FetchOperation:
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        # Not ours to judge: the subgraph will answer with the error; never cache it.
        return FetchOperation(mutation=True, types=())
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next(
        (o for o in operations if name is None or (o.name and o.name.value == name)), None
    )
    if chosen is None or chosen.operation is not OperationType.QUERY:
        return FetchOperation(mutation=True, types=())
    types = touched_types(schema, document, name) if schema is not None else frozenset()
    return FetchOperation(mutation=False, types=tuple(sorted(types)))


def _body(raw: bytes) -> tuple[str, str | None, dict[str, Any]] | None:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return None
    variables = body.get("variables") or {}
    name = body.get("operationName")
    if not isinstance(variables, dict):
        return None
    return body["query"], name if isinstance(name, str) else None, variables


def entities_body(
    query: str, name: str | None, others: dict[str, Any], representations: list[Any]
) -> bytes:
    body: dict[str, Any] = {"query": query}
    if name:
        body["operationName"] = name
    body["variables"] = {"representations": representations, **others}
    return orjson.dumps(body)
