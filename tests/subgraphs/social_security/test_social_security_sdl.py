"""The social_security subgraph's printed federation SDL is its contract with the gateway.

A change here changes docs/government-graph.md's social_security section: update both.
"""

from __future__ import annotations

from subgraphs.social_security.schema import schema

EXPECTED_SDL = """
schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
}

type Contribution {
  period: String!
  insuranceType: InsuranceType!
  base: Float!
  personalAmount: Float!
  employerAmount: Float!
  employer: Enterprise
}

type Employment {
  person: Person!
  employer: Enterprise!
  startedOn: String!
  endedOn: String
  position: String!
}

type Enterprise @key(fields: "creditCode") {
  creditCode: ID!
  insuredEmployeeCount: Int!
  employments(current: Boolean = null): [Employment!]!
}

enum InsuranceStatus {
  ACTIVE
  SUSPENDED
  RETIRED
}

enum InsuranceType {
  PENSION
  MEDICAL
  UNEMPLOYMENT
  WORK_INJURY
  MATERNITY
}

type InsuredPersonConnection {
  nodes: [Person!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type Pension {
  monthlyAmount: Float!
  since: String!
  status: PensionStatus!
}

enum PensionStatus {
  PAYING
  SUSPENDED
}

type Person @key(fields: "idNumber") {
  idNumber: ID!
  insuranceStatus: InsuranceStatus
  contributions(insuranceType: InsuranceType = null, fromPeriod: String = null, toPeriod: String = null, first: Int = 24): [Contribution!]!
  employments: [Employment!]!
  pension: Pension
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  insuredPersons(county: String = null, status: InsuranceStatus = null, first: Int = 20, after: String = null): InsuredPersonConnection!
}

scalar _Any

union _Entity = Enterprise | Person

type _Service {
  sdl: String!
}
"""


def test_the_printed_sdl_is_the_contracted_schema() -> None:
    assert schema.as_str().strip() == EXPECTED_SDL.strip()


def test_the_subgraph_is_read_only() -> None:
    assert "type Mutation" not in schema.as_str()
