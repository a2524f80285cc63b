"""Hand-written supergraph fixtures for the planner specs (Apollo's join v0.3 format)."""

from __future__ import annotations

from graphql import parse

from gateway.planner import QueryPlanner, print_plan
from gateway.supergraph import Supergraph

__all__ = ["HEADER", "plan_text", "supergraph"]

HEADER = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{ query: Query %(mutation)s }

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
"""


def supergraph(graphs: list[str], body: str, *, mutation: bool = False) -> Supergraph:
    """A supergraph with subgraphs named ``graphs`` (enum values upper-cased)."""
    enum = "\n".join(
        f'  {g.upper()} @join__graph(name: "{g}", url: "http://127.0.0.1:9/{g}")' for g in graphs
    )
    sdl = HEADER % {"mutation": "mutation: Mutation" if mutation else ""}
    return Supergraph.from_sdl(sdl + "\nenum join__Graph {\n" + enum + "\n}\n" + body)


def plan_text(sg: Supergraph, query: str, operation_name: str | None = None) -> str:
    plan = QueryPlanner(sg).plan(parse(query), operation_name)
    return print_plan(plan)
