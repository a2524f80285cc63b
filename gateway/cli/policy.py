"""``govgraph policy``: check, explain, test and diff the department access policies."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gateway.policy.check import check_policy, schema_coordinates
from gateway.policy.directives import SecurityDirectives
from gateway.policy.loader import load_policy_set
from gateway.policy.policyset import PolicySet

__all__ = ["policy"]

DEFAULT_POLICIES = Path("policies")
DEFAULT_SCHEMA = Path("schema.graphql")
policies_option = click.option(
    "--policies",
    "policies_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_POLICIES,
    show_default=True,
    help="Directory of department policy files.",
)
schema_option = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Supergraph or API schema SDL (default: ./schema.graphql if present).",
)


def _schema(path: Path | None, required: bool) -> tuple[object, SecurityDirectives | None]:
    from gateway.policy.schema_source import load_schema_file

    if path is None:
        if not DEFAULT_SCHEMA.is_file():
            if required:
                raise click.UsageError("no schema: pass --schema FILE")
            return None, None
        path = DEFAULT_SCHEMA
    try:
        return load_schema_file(path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _load(directory: Path) -> PolicySet:
    policy = load_policy_set(directory)
    if policy.deny_all:
        raise click.ClickException("; ".join(policy.problems))
    return policy


@click.group()
def policy() -> None:
    """Check, explain, test and diff the department access policies (policies/*.yaml)."""


@policy.command()
@policies_option
@schema_option
def check(policies_dir: Path, schema_path: Path | None) -> None:
    """Validate the policy files against the schema and the scope catalogue (CI gate)."""
    from graphql import GraphQLSchema

    schema, directives = _schema(schema_path, required=False)
    policy_set = _load(policies_dir)
    api = schema if isinstance(schema, GraphQLSchema) else None
    findings = check_policy(policy_set, api, directives)
    if api is None:
        click.echo("warning: no schema given; types, fields and classes were not checked")
    for finding in findings:
        click.echo(str(finding))
    errors = sum(1 for f in findings if f.severity == "error")
    summary = (
        f"policy set {policy_set.version}: {len(policy_set.sources)} files, "
        f"{len(policy_set.fields)} field rules, {errors} errors"
    )
    if errors:
        click.echo(summary, err=True)
        sys.exit(1)
    click.echo(f"OK {summary}")


@policy.command()
@click.argument("coordinates", nargs=-1, required=True)
@policies_option
@schema_option
def explain(coordinates: tuple[str, ...], policies_dir: Path, schema_path: Path | None) -> None:
    """Who can see Type.field, through which rule, masked how, with which purpose."""
    from gateway.policy.explain import explain_field

    _, directives = _schema(schema_path, required=False)
    policy_set = _load(policies_dir)
    for coordinate in coordinates:
        if "." not in coordinate:
            raise click.UsageError(f"{coordinate!r} is not a Type.field coordinate")
        click.echo("\n".join(explain_field(policy_set, coordinate, directives)))


@policy.command("test")
@click.argument("case_files", nargs=-1, type=click.Path(path_type=Path))
@policies_option
@schema_option
def test_cases(case_files: tuple[Path, ...], policies_dir: Path, schema_path: Path | None) -> None:
    """Run policy test cases (default: policies/tests/*.yaml); non-zero exit on failure."""
    from graphql import GraphQLSchema

    from gateway.policy.casetest import load_case_file, run_cases

    files = list(case_files) or sorted((policies_dir / "tests").glob("*.yaml"))
    if not files:
        raise click.UsageError(f"no case files given and none in {policies_dir / 'tests'}")
    failed = total = 0
    for path in files:
        try:
            cases = load_case_file(path)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        schema_file = schema_path or (
            path.parent / cases.schema_file if cases.schema_file else None
        )
        schema, directives = _schema(schema_file, required=True)
        assert isinstance(schema, GraphQLSchema)
        directory = path.parent / cases.policies if cases.policies else policies_dir
        policy_set = _load(directory)
        for result in run_cases(cases, schema, policy_set, directives):
            total += 1
            if result.ok:
                click.echo(f"PASS {path.name}: {result.name}")
                continue
            failed += 1
            click.echo(f"FAIL {path.name}: {result.name}")
            for failure in result.failures:
                click.echo(f"     {failure}")
    click.echo(f"{total - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


@policy.command()
@click.argument("old_dir", type=click.Path(path_type=Path))
@click.argument("new_dir", type=click.Path(path_type=Path))
@schema_option
def diff(old_dir: Path, new_dir: Path, schema_path: Path | None) -> None:
    """Per field, who gains and who loses access from OLD_DIR to NEW_DIR."""
    from graphql import GraphQLSchema

    from gateway.policy.diff import diff_policies

    schema, _ = _schema(schema_path, required=False)
    extra = schema_coordinates(schema) if isinstance(schema, GraphQLSchema) else None
    old, new = _load(old_dir), _load(new_dir)
    changes = diff_policies(old, new, extra)
    click.echo(f"policy {old.version} -> {new.version}: {len(changes)} fields change")
    for change in changes:
        click.echo("\n".join(change.lines()))


@policy.command()
@policies_option
@schema_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
def matrix(policies_dir: Path, schema_path: Path | None, output: str) -> None:
    """The whole access matrix: every field, its class, marks and who can read it."""
    import json

    from graphql import GraphQLSchema

    from gateway.policy.matrix import access_matrix, render_markdown

    schema, _ = _schema(schema_path, required=False)
    coordinates = schema_coordinates(schema) if isinstance(schema, GraphQLSchema) else None
    rows = access_matrix(_load(policies_dir), coordinates)
    if output == "json":
        click.echo(json.dumps([row.to_dict() for row in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(render_markdown(rows))
