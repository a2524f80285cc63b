"""Nested entity chains (A -> B -> C -> A) over the four-subgraph benchmark graph."""

from __future__ import annotations

from tests.planner.supergraphs import plan_text, supergraph

SG = supergraph(
    ["accounts", "inventory", "products", "reviews"],
    """
type Query @join__type(graph: ACCOUNTS) @join__type(graph: INVENTORY) @join__type(graph: PRODUCTS) @join__type(graph: REVIEWS) {
  users: [User] @join__field(graph: ACCOUNTS)
  topProducts(first: Int = 5): [Product] @join__field(graph: PRODUCTS)
}
type User @join__type(graph: ACCOUNTS, key: "id") @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  name: String @join__field(graph: ACCOUNTS)
  username: String @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
  reviews: [Review] @join__field(graph: REVIEWS)
}
type Product @join__type(graph: INVENTORY, key: "upc") @join__type(graph: PRODUCTS, key: "upc") @join__type(graph: REVIEWS, key: "upc") {
  upc: String!
  name: String @join__field(graph: PRODUCTS)
  price: Int @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  weight: Int @join__field(graph: INVENTORY, external: true) @join__field(graph: PRODUCTS)
  inStock: Boolean @join__field(graph: INVENTORY)
  shippingEstimate: Int @join__field(graph: INVENTORY, requires: "price weight")
  reviews: [Review] @join__field(graph: REVIEWS)
}
type Review @join__type(graph: REVIEWS, key: "id") {
  id: ID!
  body: String
  product: Product
  author: User @join__field(graph: REVIEWS, provides: "username")
}
""",
)


def test_a_chain_through_three_subgraphs_back_to_the_first_nests_its_fetches() -> None:
    # reviews -> products -> inventory (@requires price weight) -> reviews -> accounts
    assert (
        plan_text(
            SG,
            "{ topProducts { name reviews { author { name reviews { product { shippingEstimate } } } } } }",
        )
        == """QueryPlan {
  Sequence {
    Fetch(service: "products") {
      {
        topProducts {
          name
          __typename
          upc
        }
      }
    },
    Flatten(path: "topProducts.@") {
      Fetch(service: "reviews") {
        {
          ... on Product {
            __typename
            upc
          }
        } =>
        {
          ... on Product {
            reviews {
              author {
                __typename
                id
                reviews {
                  product {
                    __typename
                    upc
                  }
                }
              }
            }
          }
        }
      },
    },
    Parallel {
      Flatten(path: "topProducts.@.reviews.@.author") {
        Fetch(service: "accounts") {
          {
            ... on User {
              __typename
              id
            }
          } =>
          {
            ... on User {
              name
            }
          }
        },
      },
      Sequence {
        Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
          Fetch(service: "products") {
            {
              ... on Product {
                __typename
                upc
              }
            } =>
            {
              ... on Product {
                price
                weight
              }
            }
          },
        },
        Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
          Fetch(service: "inventory") {
            {
              ... on Product {
                __typename
                upc
                price
                weight
              }
            } =>
            {
              ... on Product {
                shippingEstimate
              }
            }
          },
        },
      },
    },
  },
}"""
    )


def test_the_benchmark_query_plans_like_a_tree_with_parallel_branches() -> None:
    assert (
        plan_text(
            SG,
            "fragment User on User { id username name } fragment Review on Review { id body } fragment Product on Product { inStock name price shippingEstimate upc weight } query TestQuery { users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } } topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } }",
        )
        == """QueryPlan {
  Parallel {
    Sequence {
      Fetch(service: "accounts") {
        {
          users {
            id
            username
            name
            __typename
          }
        }
      },
      Flatten(path: "users.@") {
        Fetch(service: "reviews") {
          {
            ... on User {
              __typename
              id
            }
          } =>
          {
            ... on User {
              reviews {
                id
                body
                product {
                  __typename
                  upc
                  reviews {
                    id
                    body
                    author {
                      id
                      username
                      __typename
                      reviews {
                        id
                        body
                        product {
                          __typename
                          upc
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        },
      },
      Parallel {
        Sequence {
          Flatten(path: "users.@.reviews.@.product") {
            Fetch(service: "products") {
              {
                ... on Product {
                  __typename
                  upc
                }
              } =>
              {
                ... on Product {
                  name
                  price
                  weight
                }
              }
            },
          },
          Flatten(path: "users.@.reviews.@.product") {
            Fetch(service: "inventory") {
              {
                ... on Product {
                  __typename
                  upc
                  price
                  weight
                }
              } =>
              {
                ... on Product {
                  inStock
                  shippingEstimate
                }
              }
            },
          },
        },
        Flatten(path: "users.@.reviews.@.product.reviews.@.author") {
          Fetch(service: "accounts") {
            {
              ... on User {
                __typename
                id
              }
            } =>
            {
              ... on User {
                name
              }
            }
          },
        },
        Sequence {
          Flatten(path: "users.@.reviews.@.product.reviews.@.author.reviews.@.product") {
            Fetch(service: "products") {
              {
                ... on Product {
                  __typename
                  upc
                }
              } =>
              {
                ... on Product {
                  name
                  price
                  weight
                }
              }
            },
          },
          Flatten(path: "users.@.reviews.@.product.reviews.@.author.reviews.@.product") {
            Fetch(service: "inventory") {
              {
                ... on Product {
                  __typename
                  upc
                  price
                  weight
                }
              } =>
              {
                ... on Product {
                  inStock
                  shippingEstimate
                }
              }
            },
          },
        },
      },
    },
    Sequence {
      Fetch(service: "products") {
        {
          topProducts {
            __typename
            upc
            name
            price
            weight
          }
        }
      },
      Parallel {
        Flatten(path: "topProducts.@") {
          Fetch(service: "inventory") {
            {
              ... on Product {
                __typename
                upc
                price
                weight
              }
            } =>
            {
              ... on Product {
                inStock
                shippingEstimate
              }
            }
          },
        },
        Sequence {
          Flatten(path: "topProducts.@") {
            Fetch(service: "reviews") {
              {
                ... on Product {
                  __typename
                  upc
                }
              } =>
              {
                ... on Product {
                  reviews {
                    id
                    body
                    author {
                      id
                      username
                      __typename
                      reviews {
                        id
                        body
                        product {
                          __typename
                          upc
                        }
                      }
                    }
                  }
                }
              }
            },
          },
          Parallel {
            Flatten(path: "topProducts.@.reviews.@.author") {
              Fetch(service: "accounts") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    name
                  }
                }
              },
            },
            Sequence {
              Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
                Fetch(service: "products") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      name
                      price
                      weight
                    }
                  }
                },
              },
              Flatten(path: "topProducts.@.reviews.@.author.reviews.@.product") {
                Fetch(service: "inventory") {
                  {
                    ... on Product {
                      __typename
                      upc
                      price
                      weight
                    }
                  } =>
                  {
                    ... on Product {
                      inStock
                      shippingEstimate
                    }
                  }
                },
              },
            },
          },
        },
      },
    },
  },
}"""
    )
