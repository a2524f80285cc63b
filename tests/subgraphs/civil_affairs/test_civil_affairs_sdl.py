"""The civil_affairs subgraph's Federation SDL is the contract of docs/government-graph.md."""

from __future__ import annotations

from click.testing import CliRunner

from gateway.cli.subgraph import subgraph
from subgraphs.civil_affairs.schema import schema

EXPECTED_SDL = '''\
schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key", "@shareable"]) {
  query: Query
  mutation: Mutation
}

"""A minimum living allowance case."""
type DibaoCase @key(fields: "caseNumber") {
  caseNumber: ID!
  applicant: Person!
  household: Household!
  county: Division!
  appliedOn: String!
  status: DibaoStatus!
  monthlyAmount: Float
  decidedOn: String
  decisionNote: String
}

type DibaoCaseConnection {
  nodes: [DibaoCase!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

enum DibaoDecision {
  APPROVE
  REJECT
}

enum DibaoStatus {
  PENDING
  APPROVED
  REJECTED
  TERMINATED
}

"""A Tieling county-level division."""
type Division @shareable {
  code: String!
  name: String!
}

type ElderlySubsidy {
  subsidyNumber: ID!
  kind: ElderlySubsidyKind!
  monthlyAmount: Float!
  since: String!
  county: Division!
}

enum ElderlySubsidyKind {
  AGE_ALLOWANCE
  CARE_SUBSIDY
  SERVICE_SUBSIDY
}

type Household @key(fields: "householdNumber") {
  householdNumber: ID!
  dibaoCases: [DibaoCase!]!
}

enum MaritalStatus {
  SINGLE
  MARRIED
  DIVORCED
}

enum MarriageKind {
  MARRIAGE
  DIVORCE
}

type MarriageRegistration @key(fields: "registrationNumber") {
  registrationNumber: ID!
  kind: MarriageKind!
  registeredOn: String!
  office: Division!
  partyA: Person!
  partyB: Person!
}

type Mutation {
  applyForDibao(applicantIdNumber: ID!, householdNumber: ID!): DibaoCase!
  decideDibaoCase(caseNumber: ID!, decision: DibaoDecision!, monthlyAmount: Float = null, note: String!): DibaoCase!
}

type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type Person @key(fields: "idNumber") {
  idNumber: ID!
  maritalStatus: MaritalStatus!
  marriages: [MarriageRegistration!]!
  dibaoCases: [DibaoCase!]!
  elderlySubsidies: [ElderlySubsidy!]!
}

type Query {
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
  dibaoCase(caseNumber: ID!): DibaoCase
  dibaoCases(county: String = null, status: DibaoStatus = null, first: Int = 20, after: String = null): DibaoCaseConnection!
  marriageRegistration(registrationNumber: ID!): MarriageRegistration
}

scalar _Any

union _Entity = DibaoCase | Household | MarriageRegistration | Person

type _Service {
  sdl: String!
}
'''


def test_the_printed_federation_sdl_is_exactly_the_contract() -> None:
    result = schema.execute_sync("{ _service { sdl } }")
    assert result.data is not None
    assert result.data["_service"]["sdl"] + "\n" == EXPECTED_SDL


def test_govgraph_subgraph_sdl_prints_the_same_sdl() -> None:
    result = CliRunner().invoke(subgraph, ["sdl", "civil_affairs"])
    assert result.exit_code == 0, result.output
    assert result.output == EXPECTED_SDL
