"""The four benchmark subgraphs as strawberry Federation 2 schemas over ``dataset``.

accounts: User(id, name, username). products: Product(upc, name, price, weight) and
topProducts. inventory: Product.inStock and Product.shippingEstimate (requires price
and weight). reviews: Review(id, body, product, author providing username), User.reviews,
Product.reviews.
"""

from __future__ import annotations

from typing import Any

import strawberry
from dataset import PRODUCTS, REVIEWS, STOCK, TOP_PRODUCTS_DEFAULT, USERS
from strawberry.federation import Schema

__all__ = ["SCHEMAS"]


# --- accounts -----------------------------------------------------------------------


@strawberry.federation.type(name="User", keys=["id"])
class AccountsUser:
    id: strawberry.ID
    name: str | None
    username: str | None = strawberry.federation.field(shareable=True)

    @classmethod
    def resolve_reference(cls, **representation: Any) -> AccountsUser | None:
        return _account(str(representation["id"]))


def _account(user_id: str) -> AccountsUser | None:
    row = USERS.get(user_id)
    if row is None:
        return None
    return AccountsUser(id=strawberry.ID(row.id), name=row.name, username=row.username)


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field
    def me(self) -> AccountsUser | None:
        return _account("1")

    @strawberry.field
    def users(self) -> list[AccountsUser | None] | None:
        return [_account(user_id) for user_id in USERS]


# --- products -----------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["upc"])
class CatalogueProduct:
    upc: str
    name: str | None
    price: int | None
    weight: int | None

    @classmethod
    def resolve_reference(cls, **representation: Any) -> CatalogueProduct | None:
        return _product(str(representation["upc"]))


def _product(upc: str) -> CatalogueProduct | None:
    row = PRODUCTS.get(upc)
    if row is None:
        return None
    return CatalogueProduct(upc=row.upc, name=row.name, price=row.price, weight=row.weight)


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def top_products(
        self, first: int | None = TOP_PRODUCTS_DEFAULT
    ) -> list[CatalogueProduct | None] | None:
        count = TOP_PRODUCTS_DEFAULT if first is None else max(first, 0)
        return [_product(upc) for upc in list(PRODUCTS)[:count]]


# --- inventory ----------------------------------------------------------------------


@strawberry.federation.type(name="Product", keys=["upc"])
class InventoryProduct:
    upc: str
    weight: int | None = strawberry.federation.field(external=True)
    price: int | None = strawberry.federation.field(external=True)
    in_stock: bool | None = None

    @strawberry.federation.field(requires=["price weight"])  # type: ignore[untyped-decorator]
    def shipping_estimate(self) -> int | None:
        if self.price is None or self.weight is None:
            return None
        # Expensive items ship free; the rest pay by weight.
        return 0 if self.price > 1000 else self.weight // 2

    @classmethod
    def resolve_reference(cls, **representation: Any) -> InventoryProduct:
        upc = str(representation["upc"])
        return InventoryProduct(
            upc=upc,
            weight=representation.get("weight"),
            price=representation.get("price"),
            in_stock=STOCK.get(upc),
        )


# --- reviews ------------------------------------------------------------------------


@strawberry.federation.type(name="User", keys=["id"])
class ReviewsUser:
    id: strawberry.ID
    username: str | None = strawberry.federation.field(external=True)

    @strawberry.field
    def reviews(self) -> list[Review | None] | None:
        return [_review(row.id) for row in REVIEWS.values() if row.author_id == self.id]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> ReviewsUser:
        return ReviewsUser(id=strawberry.ID(str(representation["id"])), username=None)


@strawberry.federation.type(name="Product", keys=["upc"])
class ReviewsProduct:
    upc: str

    @strawberry.field
    def reviews(self) -> list[Review | None] | None:
        return [_review(row.id) for row in REVIEWS.values() if row.product_upc == self.upc]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> ReviewsProduct:
        return ReviewsProduct(upc=str(representation["upc"]))


@strawberry.federation.type(keys=["id"])
class Review:
    id: strawberry.ID
    body: str | None
    author_id: strawberry.Private[str]
    product_upc: strawberry.Private[str]

    @strawberry.federation.field(provides=["username"])  # type: ignore[untyped-decorator]
    def author(self) -> ReviewsUser | None:
        row = USERS.get(self.author_id)
        if row is None:
            return None
        return ReviewsUser(id=strawberry.ID(row.id), username=row.username)

    @strawberry.field
    def product(self) -> ReviewsProduct | None:
        return ReviewsProduct(upc=self.product_upc)

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Review | None:
        return _review(str(representation["id"]))


def _review(review_id: str) -> Review | None:
    row = REVIEWS.get(review_id)
    if row is None:
        return None
    return Review(
        id=strawberry.ID(row.id),
        body=row.body,
        author_id=row.author_id,
        product_upc=row.product_upc,
    )


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def review(self, id: strawberry.ID) -> Review | None:
        return _review(str(id))


SCHEMAS: dict[str, Schema] = {
    "accounts": Schema(query=AccountsQuery, types=[AccountsUser]),
    "products": Schema(query=ProductsQuery, types=[CatalogueProduct]),
    # inventory only extends Product: no root fields of its own.
    "inventory": Schema(types=[InventoryProduct]),
    "reviews": Schema(query=ReviewsQuery, types=[ReviewsUser, ReviewsProduct, Review]),
}
