"""@requires: required fields are fetched first, arguments travel under aliases."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["registry", "welfare", "pricing"],
    """
type Query @join__type(graph: REGISTRY) @join__type(graph: WELFARE) @join__type(graph: PRICING) {
  households: [Household] @join__field(graph: REGISTRY)
}
type Household @join__type(graph: REGISTRY, key: "number") @join__type(graph: WELFARE, key: "number") @join__type(graph: PRICING, key: "number") {
  number: ID!
  members: Int @join__field(graph: REGISTRY) @join__field(graph: WELFARE, external: true)
  income(currency: String!): Int @join__field(graph: PRICING) @join__field(graph: WELFARE, external: true)
  head: Person @join__field(graph: REGISTRY) @join__field(graph: WELFARE, external: true)
  allowance: Int @join__field(graph: WELFARE, requires: "members income(currency: \\"CNY\\")")
  allowanceUsd: Int @join__field(graph: WELFARE, requires: "income(currency: \\"USD\\")")
  elderly: Boolean @join__field(graph: WELFARE, requires: "head { age }")
}
type Person @join__type(graph: REGISTRY, key: "id") @join__type(graph: WELFARE, key: "id") {
  id: ID!
  age: Int @join__field(graph: REGISTRY) @join__field(graph: WELFARE, external: true)
}
""",
)


def test_a_required_field_is_fetched_from_its_owner_before_the_requiring_fetch() -> None:
    # allowance needs members (registry) and income in CNY (pricing), read as an alias
    assert (
        plan_text(SG, "{ households { allowance } }")
        == """QueryPlan {
  Sequence {
    Fetch(service: "registry") {
      {
        households {
          __typename
          number
          members
        }
      }
    },
    Flatten(path: "households.@") {
      Fetch(service: "pricing") {
        {
          ... on Household {
            __typename
            number
          }
        } =>
        {
          ... on Household {
            income__req0: income(currency: "CNY")
          }
        }
      },
    },
    Flatten(path: "households.@") {
      Fetch(service: "welfare") {
        {
          ... on Household {
            __typename
            number
            members
            income__req0
          }
        } =>
        {
          ... on Household {
            allowance
          }
        }
        inputRewrites: ... on Household.income__req0 -> income
      },
    },
  },
}"""
    )


def test_the_same_field_with_other_arguments_goes_to_a_separate_representation() -> None:
    # income in CNY and in USD cannot share one representation, so welfare is asked twice
    assert (
        plan_text(SG, '{ households { income(currency: "EUR") allowance allowanceUsd elderly } }')
        == """QueryPlan {
  Sequence {
    Fetch(service: "registry") {
      {
        households {
          __typename
          number
          members
          head {
            age
          }
        }
      }
    },
    Flatten(path: "households.@") {
      Fetch(service: "pricing") {
        {
          ... on Household {
            __typename
            number
          }
        } =>
        {
          ... on Household {
            income(currency: "EUR")
            income__req0: income(currency: "CNY")
            income__req1: income(currency: "USD")
          }
        }
      },
    },
    Parallel {
      Flatten(path: "households.@") {
        Fetch(service: "welfare") {
          {
            ... on Household {
              __typename
              number
              members
              income__req0
              head {
                age
              }
            }
          } =>
          {
            ... on Household {
              allowance
              elderly
            }
          }
          inputRewrites: ... on Household.income__req0 -> income
        },
      },
      Flatten(path: "households.@") {
        Fetch(service: "welfare") {
          {
            ... on Household {
              __typename
              number
              income__req1
            }
          } =>
          {
            ... on Household {
              allowanceUsd
            }
          }
          inputRewrites: ... on Household.income__req1 -> income
        },
      },
    },
  },
}"""
    )
