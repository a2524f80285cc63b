"""``compose``: subgraph SDLs in, Apollo-format supergraph SDL out.

Phases: check the sources (names unique, SDL present); read each subgraph (links,
renames, Federation 1 or 2); sort by name, as Apollo does, so the output does not depend
on the order given; validate each subgraph; merge; check what @inaccessible leaves (the
API schema); check that every field can be reached (simplified satisfiability); print;
check that the printed supergraph builds as a valid GraphQL schema.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError, build_schema, validate_schema

from .context import MergeContext
from .inaccessible import inaccessible_errors
from .merge import merge_subgraphs
from .model import Subgraph
from .printer import print_supergraph
from .result import CompositionError, CompositionResult, SubgraphSource
from .satisfiability import unsatisfiable_fields
from .subgraph import read_subgraph
from .validate import validate_subgraph

__all__ = ["compose"]


def compose(subgraphs: Sequence[SubgraphSource]) -> CompositionResult:
    """Compose Federation 1/2 subgraphs; never raises for bad input, reports it instead."""
    errors = _check_sources(subgraphs)
    if errors:
        return CompositionResult(None, errors)
    read: list[Subgraph] = []
    for source in subgraphs:
        subgraph, problems = read_subgraph(source)
        errors += problems
        if subgraph is not None:
            read.append(subgraph)
    if errors:
        return CompositionResult(None, errors)
    read.sort(key=lambda s: s.name)
    for subgraph in read:
        errors += validate_subgraph(subgraph)
    if errors:
        return CompositionResult(None, errors)
    ctx = MergeContext(read)
    supergraph = merge_subgraphs(ctx)
    if ctx.errors:
        return CompositionResult(None, ctx.errors, ctx.hints)
    hidden = inaccessible_errors(supergraph)
    if hidden:
        problems = [CompositionError(code, message) for code, message in hidden]
        return CompositionResult(None, problems, ctx.hints)
    unsatisfiable = unsatisfiable_fields(supergraph)
    if unsatisfiable:
        problems = [CompositionError(code, message) for code, message in unsatisfiable]
        return CompositionResult(None, problems, ctx.hints)
    sdl = print_supergraph(supergraph)
    try:
        invalid = [str(e.message) for e in validate_schema(build_schema(sdl))]
    except (GraphQLError, TypeError) as exc:
        invalid = [str(exc)]
    if invalid:
        # A rule this composer does not check yet; never hand out a broken supergraph.
        problems = [
            CompositionError("INVALID_SUPERGRAPH", f"the composed supergraph is invalid: {m}")
            for m in invalid
        ]
        return CompositionResult(None, problems, ctx.hints)
    return CompositionResult(sdl, [], ctx.hints)


def _check_sources(subgraphs: Sequence[SubgraphSource]) -> list[CompositionError]:
    errors: list[CompositionError] = []
    if not subgraphs:
        errors.append(CompositionError("NO_SUBGRAPHS", "there are no subgraphs to compose"))
    seen: set[str] = set()
    for s in subgraphs:
        if not s.name:
            errors.append(CompositionError("INVALID_SUBGRAPH_NAME", "a subgraph has an empty name"))
        elif s.name in seen:
            errors.append(
                CompositionError(
                    "DUPLICATE_SUBGRAPH_NAME", f'subgraph name "{s.name}" is used twice'
                )
            )
        seen.add(s.name)
        if not s.sdl.strip():
            errors.append(CompositionError("INVALID_GRAPHQL", f"[{s.name}] the SDL is empty"))
    return errors
