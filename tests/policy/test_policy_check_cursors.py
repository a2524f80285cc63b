"""Spec: ``policy check`` warns when page cursors are released next to personal nodes."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from gateway.policy import load_policy_set
from gateway.policy.check import check_policy

SCHEMA = build_schema("""
type Query { persons: PersonConnection!  firms: FirmConnection! }
type PageInfo { hasNextPage: Boolean!  endCursor: String }
type Person { idNumber: ID!  name: String! }
type PersonConnection { nodes: [Person!]!  pageInfo: PageInfo! }
type Firm { code: ID!  staff: String }
type FirmConnection { edges: [FirmEdge!]!  pageInfo: PageInfo! }
type FirmEdge { cursor: String!  node: Firm! }
""")

POLICY = """
department: d
types:
  Query: {default: unconditional}
  PageInfo: {default: unconditional}
  PersonConnection: {default: unconditional%s}
  FirmConnection: {default: unconditional}
  FirmEdge: {default: unconditional}
  Firm:
    default: unconditional
    data_subject: code
    fields: {staff: {class: unconditional, personal: true}}
  Person:
    default: conditional
    data_subject: idNumber
    grants: [{scopes: [[s]], where: {idNumber: {equals_claim: sub}}}]
    fields: {name: {personal: true}}
"""


def findings(tmp_path: Path, extra: str = "") -> list[str]:
    (tmp_path / "scopes.yaml").write_text("scopes: {s: a scope}\n")
    (tmp_path / "d.yaml").write_text(POLICY % extra)
    return [str(f) for f in check_policy(load_policy_set(tmp_path), SCHEMA)]


def test_an_unconditional_cursor_next_to_personal_nodes_is_a_warning(tmp_path: Path) -> None:
    found = findings(tmp_path)
    assert [f for f in found if not f.startswith("warning")] == []
    assert [f for f in found if "PersonConnection.pageInfo (PageInfo.endCursor)" in f]
    assert "cursors: opaque" in found[0]


def test_a_connection_declared_to_seal_its_cursors_is_not_warned_about(tmp_path: Path) -> None:
    assert findings(tmp_path, ", cursors: opaque") == []


def test_nodes_whose_key_is_published_do_not_warn_through_pageinfo_or_edges(
    tmp_path: Path,
) -> None:
    assert not [f for f in findings(tmp_path) if "FirmConnection" in f]
