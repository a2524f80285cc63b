"""The population subgraph's Federation SDL is the contract of docs/government-graph.md."""

from __future__ import annotations

from click.testing import CliRunner

from gateway.cli.subgraph import subgraph
from subgraphs.population.schema import schema

EXPECTED_SDL = '''\
schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
  mutation: Mutation
}

"""A Tieling county-level division."""
type Division @shareable {
  code: String!
  name: String!
}

enum Gender {
  MALE
  FEMALE
}

"""A household register entry."""
type Household @key(fields: "householdNumber") {
  householdNumber: ID!
  kind: HouseholdKind!
  county: Division!
  address: String!
  head: Person
  members: [Person!]!
}

type HouseholdConnection {
  nodes: [Household!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

enum HouseholdKind {
  FAMILY
  COLLECTIVE
}

enum HouseholdRelation {
  HEAD
  SPOUSE
  CHILD
  PARENT
  OTHER
}

type Mutation {
  updatePhone(idNumber: ID!, phone: String!): Person!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

"""A registered resident."""
type Person @key(fields: "idNumber") {
  """GB 11643-1999 identity number."""
  idNumber: ID!
  name: String!
  gender: Gender!

  """YYYY-MM-DD"""
  birthDate: String!
  ethnicity: String!
  phone: String
  registeredCounty: Division!
  registeredAddress: String!
  relationToHead: HouseholdRelation!
  alive: Boolean!
  household: Household
}

type PersonConnection {
  nodes: [Person!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  person(idNumber: ID!): Person
  persons(county: String = null, first: Int = 20, after: String = null): PersonConnection!
  household(householdNumber: ID!): Household
  households(county: String = null, first: Int = 20, after: String = null): HouseholdConnection!
  divisions: [Division!]!
}

scalar _Any

union _Entity = Household | Person

type _Service {
  sdl: String!
}
'''


def test_the_printed_federation_sdl_is_exactly_the_contract() -> None:
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.data is not None
    assert result.data["_service"]["sdl"] + "\n" == EXPECTED_SDL


def test_govgraph_subgraph_sdl_prints_the_same_sdl() -> None:
    result = CliRunner().invoke(subgraph, ["sdl", "population"])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED_SDL
