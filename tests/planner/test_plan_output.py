"""The plan as data (JSON round trip) and as text (``govgraph plan``)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from graphql import parse

from gateway.cli.plan import plan as plan_command
from gateway.planner import QueryPlanner, print_plan
from gateway.planner.nodes import FetchNode, FlattenNode, KeyRenamer, QueryPlan, SequenceNode
from tests.planner.test_requires import SG as REQUIRES_SG

QUERY = "{ households { allowance } }"


def test_a_plan_survives_a_json_round_trip() -> None:
    plan = QueryPlanner(REQUIRES_SG).plan(parse(QUERY))
    assert QueryPlan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


def test_an_entity_fetch_carries_its_operation_requires_and_rewrites() -> None:
    plan = QueryPlanner(REQUIRES_SG).plan(parse(QUERY))
    assert isinstance(plan.node, SequenceNode)
    last = plan.node.nodes[-1]
    assert isinstance(last, FlattenNode) and last.path == ("households", "@")
    fetch = last.node
    assert isinstance(fetch, FetchNode) and fetch.is_entity_fetch
    assert fetch.operation == (
        "query($representations:[_Any!]!){_entities(representations:$representations)"
        "{... on Household{allowance}}}"
    )
    assert fetch.input_rewrites == (KeyRenamer(("... on Household", "income__req0"), "income"),)


def test_govgraph_plan_prints_the_plan_of_a_query_file(tmp_path: Path) -> None:
    schema = tmp_path / "supergraph.graphql"
    schema.write_text(REQUIRES_SG.sdl)
    query = tmp_path / "q.graphql"
    query.write_text(QUERY)
    result = CliRunner().invoke(plan_command, ["--supergraph", str(schema), "--query", str(query)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == print_plan(QueryPlanner(REQUIRES_SG).plan(parse(QUERY)))


def test_govgraph_plan_json_takes_the_query_text_and_an_operation_name(tmp_path: Path) -> None:
    schema = tmp_path / "supergraph.graphql"
    schema.write_text(REQUIRES_SG.sdl)
    args = ["--supergraph", str(schema), "--query", "query A { households { number } }"]
    result = CliRunner().invoke(plan_command, [*args, "--operation", "A", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["node"]["serviceName"] == "registry"


def test_govgraph_plan_reports_an_invalid_query_without_a_traceback(tmp_path: Path) -> None:
    schema = tmp_path / "supergraph.graphql"
    schema.write_text(REQUIRES_SG.sdl)
    args = ["--supergraph", str(schema), "--query", "{ nothing }"]
    result = CliRunner().invoke(plan_command, args)
    assert result.exit_code == 1
    assert "Cannot query field 'nothing' on type 'Query'" in result.output
    assert "Traceback" not in result.output


def test_govgraph_plan_reports_a_broken_supergraph(tmp_path: Path) -> None:
    schema = tmp_path / "supergraph.graphql"
    schema.write_text("type Query { a: Int }")
    result = CliRunner().invoke(plan_command, ["--supergraph", str(schema), "--query", "{ a }"])
    assert result.exit_code == 1
    assert "not a Federation 2 supergraph" in result.output
