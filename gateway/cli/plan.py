"""``govgraph plan``: print the query plan of an operation against a supergraph."""

from __future__ import annotations

import json
from pathlib import Path

import click
from graphql import GraphQLError, parse, validate

from gateway.errors import PlanningError
from gateway.planner import QueryPlanner, print_plan
from gateway.supergraph import Supergraph, SupergraphError

__all__ = ["plan"]


def _read(value: str) -> str:
    """A path to a file, or the text itself."""
    path = Path(value)
    try:
        if len(value) < 4096 and path.is_file():
            return path.read_text(encoding="utf-8")
    except OSError:
        pass
    return value


@click.command("plan")
@click.option("--supergraph", "supergraph_path", required=True, type=click.Path(dir_okay=False))
@click.option("--query", "query", required=True, help="A .graphql file, or the operation text.")
@click.option("--operation", "operation_name", default=None, help="Operation to plan, by name.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan(supergraph_path: str, query: str, operation_name: str | None, as_json: bool) -> None:
    """Print the query plan for an operation."""
    try:
        supergraph = Supergraph.from_sdl(Path(supergraph_path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"cannot read {supergraph_path}: {exc.strerror}") from exc
    except SupergraphError as exc:
        raise click.ClickException(f"{supergraph_path}: {exc.message}") from exc
    try:
        document = parse(_read(query))
    except GraphQLError as exc:
        raise click.ClickException(f"the operation does not parse: {exc.message}") from exc
    errors = validate(supergraph.api_schema, document)
    if errors:
        raise click.ClickException("; ".join(e.message for e in errors))
    try:
        result = QueryPlanner(supergraph).plan(document, operation_name)
    except PlanningError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(json.dumps(result.to_dict(), indent=2) if as_json else print_plan(result))
