"""The real_estate subgraph's printed federation SDL is its contract with the gateway.

A change here changes docs/government-graph.md's real_estate section: update both together.
"""

from __future__ import annotations

from subgraphs.real_estate.schema import schema

EXPECTED_SDL = '''
schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
  mutation: Mutation
}

"""A Tieling county-level division."""
type Division @shareable {
  code: String!
  name: String!
}

type Enterprise @key(fields: "creditCode") {
  creditCode: ID!
  properties: [Property!]!
}

type Mutation {
  recordSeizure(certificateNumber: ID!, courtDecision: String!): Property!
}

type Ownership {
  share: String!
  owner: PropertyOwner!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

"""The land parcel (宗地) a property stands on."""
type Parcel {
  parcelNumber: ID!
  landUse: String!
  area: Float!
}

type Person @key(fields: "idNumber") {
  idNumber: ID!
  properties: [Property!]!
}

type Property @key(fields: "certificateNumber") {
  certificateNumber: ID!
  address: String!
  county: Division!
  usage: PropertyUsage!
  area: Float!
  registeredOn: String!
  parcel: Parcel!
  owners: [Ownership!]!
  mortgaged: Boolean!
  seized: Boolean!
}

type PropertyConnection {
  nodes: [Property!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

union PropertyOwner = Person | Enterprise

"""What a property is registered for (用途)."""
enum PropertyUsage {
  RESIDENTIAL
  COMMERCIAL
  INDUSTRIAL
  AGRICULTURAL
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  property(certificateNumber: ID!): Property
  properties(county: String = null, usage: PropertyUsage = null, first: Int = 20, after: String = null): PropertyConnection!
}

scalar _Any

union _Entity = Enterprise | Person | Property

type _Service {
  sdl: String!
}
'''


def test_the_printed_sdl_is_the_contracted_schema() -> None:
    assert schema.as_str().strip() == EXPECTED_SDL.strip()
