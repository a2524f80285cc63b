"""The possible object types of every abstract type, as the executor's plain lookup table."""

from __future__ import annotations

from graphql import GraphQLSchema, is_abstract_type

__all__ = ["possible_types_of"]


def possible_types_of(schema: GraphQLSchema) -> dict[str, frozenset[str]]:
    """``{interface or union name: names of its object types}`` for ``Executor(possible_types=)``.

    Pass the supergraph schema (not the API schema) so that types hidden from clients
    still match the type conditions the planner wrote against the supergraph.
    """
    return {
        name: frozenset(t.name for t in schema.get_possible_types(named))  # type: ignore[arg-type]
        for name, named in schema.type_map.items()
        if is_abstract_type(named)
    }
