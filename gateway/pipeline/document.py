"""Stages S1 and S2: parse and validate an operation against the API schema, cached.

A document is parsed and validated once per distinct query text; what depends on the
operation name (which operation runs) is cached separately, so a document holding
several operations is still parsed once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
    validate,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from gateway.caching.lru import LRUCache
from gateway.errors import BadRequestError, GraphQLParseError, GraphQLValidationError

__all__ = ["DocumentStage", "PreparedDocument", "PreparedOperation"]


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    key: str
    document: DocumentNode


@dataclass(frozen=True, slots=True)
class PreparedOperation:
    """A parsed, validated document with its one selected operation."""

    key: str  # sha256 of the query text; with ``operation_name`` it names the operation
    document: DocumentNode
    operation: OperationDefinitionNode
    operation_name: str | None
    operation_type: OperationType
    has_introspection: bool
    only_introspection: bool


def _located(error: GraphQLError) -> dict[str, object]:
    formatted = dict(error.formatted)
    return formatted


class DocumentStage:
    def __init__(
        self,
        api_schema: GraphQLSchema,
        *,
        max_entries: int = 2000,
        max_query_bytes: int = 100_000,
        max_depth: int = 25,
        introspection: bool = True,
    ) -> None:
        self.api_schema = api_schema
        self.max_query_bytes = max_query_bytes
        self.max_depth = max_depth
        self.introspection = introspection
        self._documents: LRUCache[
            str, PreparedDocument | GraphQLParseError | GraphQLValidationError
        ] = LRUCache(max_entries)
        self._operations: LRUCache[tuple[str, str | None], PreparedOperation] = LRUCache(
            max_entries
        )

    def prepare(self, query: str | None, operation_name: str | None) -> PreparedOperation:
        if not query or not isinstance(query, str):
            raise BadRequestError("the request has no query")
        if len(query) > self.max_query_bytes:
            raise BadRequestError(f"the query is longer than {self.max_query_bytes} bytes")
        key = hashlib.sha256(query.encode()).hexdigest()
        cached_op = self._operations.get((key, operation_name))
        if cached_op is not None:
            return cached_op
        prepared = self._documents.get(key)
        if prepared is None:
            prepared = self._parse_and_validate(key, query)
            self._documents.put(key, prepared)
        if isinstance(prepared, Exception):
            raise prepared
        operation = self._select(prepared.document, operation_name)
        introspection_fields = _root_introspection_fields(operation)
        op = PreparedOperation(
            key=key,
            document=prepared.document,
            operation=operation,
            operation_name=operation_name or (operation.name.value if operation.name else None),
            operation_type=operation.operation,
            has_introspection=bool(introspection_fields),
            only_introspection=bool(introspection_fields)
            and introspection_fields == _root_field_count(operation, prepared.document),
        )
        self._operations.put((key, operation_name), op)
        return op

    def _parse_and_validate(
        self, key: str, query: str
    ) -> PreparedDocument | GraphQLParseError | GraphQLValidationError:
        try:
            document = parse(query, max_tokens=20_000)
        except GraphQLError as exc:
            return GraphQLParseError(exc.message, extensions={"errors": [_located(exc)]})
        rules = None
        if not self.introspection:
            from graphql import specified_rules

            rules = [*specified_rules, NoSchemaIntrospectionCustomRule]
        errors = validate(self.api_schema, document, rules)
        if not errors:
            depth = _max_depth(document)
            if depth > self.max_depth:
                return GraphQLValidationError(
                    f"the operation is nested {depth} levels deep; the limit is {self.max_depth}"
                )
            return PreparedDocument(key, document)
        return GraphQLValidationError(
            errors[0].message, extensions={"errors": [_located(e) for e in errors]}
        )

    @staticmethod
    def _select(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            if len(operations) == 1:
                return operations[0]
            raise BadRequestError("the document has several operations: send operationName")
        for op in operations:
            if op.name is not None and op.name.value == operation_name:
                return op
        raise BadRequestError(f'unknown operation named "{operation_name}"')


def _root_field_names(operation: OperationDefinitionNode, document: DocumentNode) -> list[str]:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: list[str] = []

    def walk(selection_set: SelectionSetNode) -> None:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                names.append(sel.name.value)
            elif isinstance(sel, InlineFragmentNode):
                walk(sel.selection_set)
            else:
                fragment = fragments.get(sel.name.value)  # type: ignore[attr-defined]
                if fragment is not None:
                    walk(fragment.selection_set)

    walk(operation.selection_set)
    return names


def _root_introspection_fields(operation: OperationDefinitionNode) -> int:
    # Introspection is only meaningful at the query root; counted on direct fields, since
    # a spread introspection field is still answered by the introspection executor.
    return sum(
        1
        for sel in operation.selection_set.selections
        if isinstance(sel, FieldNode) and sel.name.value in ("__schema", "__type")
    )


def _root_field_count(operation: OperationDefinitionNode, document: DocumentNode) -> int:
    return sum(1 for name in _root_field_names(operation, document) if name != "__typename")


def _max_depth(document: DocumentNode) -> int:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def depth(selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        best = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                best = max(best, 1 + depth(sel.selection_set, seen))
            elif isinstance(sel, InlineFragmentNode):
                best = max(best, depth(sel.selection_set, seen))
            else:
                name = sel.name.value  # type: ignore[attr-defined]
                if name in seen or name not in fragments:
                    continue
                best = max(best, depth(fragments[name].selection_set, seen | {name}))
        return best

    return max(
        (
            depth(d.selection_set, frozenset())
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
        ),
        default=0,
    )
