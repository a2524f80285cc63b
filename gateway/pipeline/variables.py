"""Stage S3: coerce the request's variables against the operation's definitions."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import get_variable_values

from gateway.errors import BadRequestError

__all__ = ["coerce_variables"]


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, raw: dict[str, Any] | None
) -> dict[str, Any]:
    if not operation.variable_definitions:
        return {}
    if raw is not None and not isinstance(raw, dict):
        raise BadRequestError("variables must be a JSON object")
    coerced = get_variable_values(schema, operation.variable_definitions, raw or {})
    if isinstance(coerced, list):
        raise BadRequestError(
            coerced[0].message,
            extensions={"errors": [dict(e.formatted) for e in coerced]},
        )
    return coerced
