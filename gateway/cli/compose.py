"""``govgraph compose``: compose the department subgraphs into the supergraph SDL."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from gateway.composition import CompositionResult, SubgraphSource
from gateway.composition import compose as compose_sdl
from gateway.composition.sources import (
    SourceError,
    default_sources,
    load_config,
    parse_subgraph_option,
)

__all__ = ["compose"]


@click.command("compose")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Rover-style YAML: subgraphs: NAME: {routing_url, schema: {file | subgraph_url}}.")  # fmt: skip
@click.option("--subgraph", "subgraph_options", multiple=True, metavar="NAME=URL|FILE[@URL]",
              help="A subgraph by URL (SDL asked over HTTP) or SDL file; repeatable.")  # fmt: skip
@click.option("--introspect", is_flag=True,
              help="Ask each running subgraph for `_service { sdl }` instead of importing it.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the supergraph here (default: standard output).")  # fmt: skip
@click.option("--check", is_flag=True,
              help="Write nothing; fail with a diff if --output (default schema.graphql) is stale.")  # fmt: skip
@click.option("--hints", "show_hints", is_flag=True, help="Also print composition hints.")
def compose(
    config: Path | None,
    subgraph_options: tuple[str, ...],
    introspect: bool,
    output: Path | None,
    check: bool,
    show_hints: bool,
) -> None:
    """Compose subgraph SDLs into an Apollo-format supergraph.

    Without --config or --subgraph: the five department subgraphs, SDL taken in-process
    from subgraphs.<dept>.schema, served at http://127.0.0.1:4001..4005/graphql
    (override with GOVGRAPH_<DEPT>_URL).
    """
    try:
        sources = _sources(config, subgraph_options, introspect)
    except SourceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        result = compose_sdl(sources)
    except Exception as exc:  # a composer bug must not become a traceback in CI logs
        click.echo(
            f"error: internal error while composing ({exc.__class__.__name__}: {exc})", err=True
        )
        sys.exit(3)
    if show_hints:
        for hint in result.hints:
            click.echo(f"hint: {hint}", err=True)
    sdl = _require_success(result)
    text = sdl + "\n"
    if check:
        _check(output or Path("schema.graphql"), text)
    elif output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({len(sources)} subgraphs, {len(text)} bytes)", err=True)


def _sources(
    config: Path | None, options: tuple[str, ...], introspect: bool
) -> list[SubgraphSource]:
    sources: list[SubgraphSource] = []
    if config is not None:
        sources += load_config(config, introspect)
    sources += [parse_subgraph_option(option, introspect) for option in options]
    return sources or default_sources(introspect)


def _require_success(result: CompositionResult) -> str:
    if result.supergraph_sdl is None:
        click.echo(f"error: composition failed with {len(result.errors)} error(s):", err=True)
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    return result.supergraph_sdl


def _check(path: Path, text: str) -> None:
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        click.echo(
            f"error: {path} does not exist; run `govgraph compose --output {path}`", err=True
        )
        sys.exit(1)
    if current == text:
        click.echo(f"{path} is up to date", err=True)
        return
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        text.splitlines(keepends=True),
        f"{path} (checked in)",
        f"{path} (composed now)",
    )
    sys.stdout.writelines(diff)
    click.echo(f"error: {path} is stale; run `govgraph compose --output {path}`", err=True)
    sys.exit(1)
