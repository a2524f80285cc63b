"""The benchmark's data: 6 users, 9 products and 11 reviews, shared by the four subgraphs."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "PRODUCTS",
    "REVIEWS",
    "STOCK",
    "TOP_PRODUCTS_DEFAULT",
    "USERS",
    "ProductRow",
    "ReviewRow",
    "UserRow",
]

TOP_PRODUCTS_DEFAULT = 5


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    username: str


@dataclass(frozen=True, slots=True)
class ProductRow:
    upc: str
    name: str
    price: int
    weight: int


@dataclass(frozen=True, slots=True)
class ReviewRow:
    id: str
    body: str
    author_id: str
    product_upc: str


USERS: dict[str, UserRow] = {
    row.id: row
    for row in (
        UserRow("1", "Wang Fang", "wangfang"),
        UserRow("2", "Li Wei", "liwei"),
        UserRow("3", "Zhang Min", "zhangmin"),
        UserRow("4", "Liu Yang", "liuyang"),
        UserRow("5", "Chen Jing", "chenjing"),
        UserRow("6", "Zhao Lei", "zhaolei"),
    )
}

PRODUCTS: dict[str, ProductRow] = {
    row.upc: row
    for row in (
        ProductRow("1", "Table", 899, 100),
        ProductRow("2", "Couch", 1299, 1000),
        ProductRow("3", "Chair", 54, 50),
        ProductRow("4", "Desk lamp", 35, 2),
        ProductRow("5", "Bookshelf", 240, 60),
        ProductRow("6", "Kettle", 29, 1),
        ProductRow("7", "Rice cooker", 79, 4),
        ProductRow("8", "Wardrobe", 1450, 120),
        ProductRow("9", "Rug", 130, 8),
    )
}

# Only some products are in stock, so that the field carries information.
STOCK: dict[str, bool] = {upc: int(upc) % 3 != 0 for upc in PRODUCTS}

REVIEWS: dict[str, ReviewRow] = {
    row.id: row
    for row in (
        ReviewRow("1", "Love it!", "1", "1"),
        ReviewRow("2", "Too expensive.", "1", "2"),
        ReviewRow("3", "Could be better.", "2", "3"),
        ReviewRow("4", "Prefer something else.", "2", "1"),
        ReviewRow("5", "Sturdy and simple.", "3", "4"),
        ReviewRow("6", "Arrived late, works well.", "3", "5"),
        ReviewRow("7", "Exactly as described.", "4", "6"),
        ReviewRow("8", "Boils fast.", "4", "6"),
        ReviewRow("9", "Cooks rice, nothing more.", "5", "7"),
        ReviewRow("10", "Huge, took two of us to carry.", "5", "8"),
        ReviewRow("11", "Soft and warm.", "6", "9"),
    )
}
