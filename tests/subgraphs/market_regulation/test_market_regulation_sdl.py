"""The market_regulation subgraph's Federation SDL is the contract of docs/government-graph.md."""

from __future__ import annotations

from click.testing import CliRunner

from gateway.cli.subgraph import subgraph
from subgraphs.market_regulation.schema import schema

EXPECTED_SDL = '''\
schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
  mutation: Mutation
}

type AdministrativePenalty {
  decisionNumber: ID!
  decidedOn: String!
  reason: String!
  fineAmount: Float!
  authority: String!
}

"""A Tieling county-level division."""
type Division @shareable {
  code: String!
  name: String!
}

"""A registered market entity."""
type Enterprise @key(fields: "creditCode") {
  """GB 32100-2015 credit code."""
  creditCode: ID!
  name: String!
  organisationType: OrganisationType!
  legalRepresentative: Person!

  """In 10,000 yuan."""
  registeredCapital: Float!
  establishedOn: String!
  businessScope: String!
  county: Division!
  address: String!
  licenceStatus: LicenceStatus!
  penalties: [AdministrativePenalty!]!
}

type EnterpriseConnection {
  nodes: [Enterprise!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

enum LicenceStatus {
  ACTIVE
  SUSPENDED
  REVOKED
  CANCELLED
}

type Mutation {
  recordPenalty(creditCode: ID!, reason: String!, fineAmount: Float!): AdministrativePenalty!
  changeLicenceStatus(creditCode: ID!, status: LicenceStatus!): Enterprise!
}

enum OrganisationType {
  LIMITED_COMPANY
  JOINT_STOCK_COMPANY
  PARTNERSHIP
  SOLE_PROPRIETORSHIP
  FARMERS_COOPERATIVE
  INDIVIDUAL_BUSINESS
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type Person @key(fields: "idNumber") {
  idNumber: ID!
  representedEnterprises: [Enterprise!]!
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  enterprise(creditCode: ID!): Enterprise
  enterprises(county: String = null, licenceStatus: LicenceStatus = null, nameContains: String = null, first: Int = 20, after: String = null): EnterpriseConnection!
}

scalar _Any

union _Entity = Enterprise | Person

type _Service {
  sdl: String!
}
'''


def test_the_printed_federation_sdl_is_exactly_the_contract() -> None:
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.data is not None
    assert result.data["_service"]["sdl"] + "\n" == EXPECTED_SDL


def test_govgraph_subgraph_sdl_prints_the_same_sdl() -> None:
    result = CliRunner().invoke(subgraph, ["sdl", "market_regulation"])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED_SDL
