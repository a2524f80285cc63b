"""Read the schema the tooling checks against: a composed supergraph or a plain API schema."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLError, GraphQLSchema, build_schema

from gateway.policy.directives import SecurityDirectives, parse_security_directives

__all__ = ["load_schema_file"]


def load_schema_file(path: str | Path) -> tuple[GraphQLSchema, SecurityDirectives]:
    """The API schema and the authorization directives of ``path``; ValueError if unusable.

    A supergraph (it carries ``join__`` metadata) is reduced to its API schema by the
    supergraph loader; any other SDL is taken as the API schema itself.
    """
    source = Path(path)
    try:
        sdl = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read schema {source}: {exc}") from exc
    try:
        directives = parse_security_directives(sdl)
        if "join__" in sdl:
            from gateway.supergraph import Supergraph

            return Supergraph.from_sdl(sdl).api_schema, directives
        return build_schema(sdl), directives
    except (GraphQLError, TypeError, ValueError) as exc:
        raise ValueError(f"schema {source} is not usable: {exc}") from exc
