"""Small helpers over graphql-core types shared by the planner's modules."""

from __future__ import annotations

from graphql import GraphQLList, GraphQLNonNull, GraphQLOutputType

__all__ = ["list_depth"]


def list_depth(gtype: GraphQLOutputType) -> int:
    """How many list levels wrap the type (each one is a ``"@"`` in a response path)."""
    depth = 0
    current: object = gtype
    while isinstance(current, GraphQLNonNull | GraphQLList):
        if isinstance(current, GraphQLList):
            depth += 1
        current = current.of_type
    return depth
