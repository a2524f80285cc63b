"""The answer the benchmark query must get, computed straight from the subgraphs' dataset.

Both gateways are checked against it before any load, so a fast wrong answer is caught.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "subgraphs"))

from dataset import (
    PRODUCTS,
    REVIEWS,
    STOCK,
    TOP_PRODUCTS_DEFAULT,
    USERS,
    ReviewRow,
)

__all__ = ["expected_data", "is_non_trivial"]


def _user(user_id: str) -> dict[str, Any]:
    row = USERS[user_id]
    return {"id": row.id, "username": row.username, "name": row.name}


def _review(row: ReviewRow) -> dict[str, Any]:
    return {"id": row.id, "body": row.body}


def _product(upc: str) -> dict[str, Any]:
    row = PRODUCTS[upc]
    estimate = 0 if row.price > 1000 else row.weight // 2
    return {
        "inStock": STOCK[upc],
        "name": row.name,
        "price": row.price,
        "shippingEstimate": estimate,
        "upc": row.upc,
        "weight": row.weight,
    }


def _by_author(user_id: str) -> list[ReviewRow]:
    return [row for row in REVIEWS.values() if row.author_id == user_id]


def _of_product(upc: str) -> list[ReviewRow]:
    return [row for row in REVIEWS.values() if row.product_upc == upc]


def _author_with_reviews(user_id: str) -> dict[str, Any]:
    reviews = [
        {**_review(row), "product": _product(row.product_upc)} for row in _by_author(user_id)
    ]
    return {**_user(user_id), "reviews": reviews}


def expected_data() -> dict[str, Any]:
    """``data`` of the benchmark's ``TestQuery`` over the dataset."""
    users = []
    for user_id in USERS:
        reviews = []
        for row in _by_author(user_id):
            product_reviews = [
                {**_review(other), "author": _author_with_reviews(other.author_id)}
                for other in _of_product(row.product_upc)
            ]
            product = {**_product(row.product_upc), "reviews": product_reviews}
            reviews.append({**_review(row), "product": product})
        users.append({**_user(user_id), "reviews": reviews})
    top = []
    for upc in list(PRODUCTS)[:TOP_PRODUCTS_DEFAULT]:
        reviews = [
            {**_review(row), "author": _author_with_reviews(row.author_id)}
            for row in _of_product(upc)
        ]
        top.append({**_product(upc), "reviews": reviews})
    return {"users": users, "topProducts": top}


def is_non_trivial(data: Any) -> bool:
    """Every user and top product came back, with nested reviews resolved across subgraphs."""
    if not isinstance(data, dict):
        return False
    users, top = data.get("users"), data.get("topProducts")
    return (
        isinstance(users, list)
        and len(users) == len(USERS)
        and isinstance(top, list)
        and len(top) == TOP_PRODUCTS_DEFAULT
        and all(isinstance(user, dict) and user.get("reviews") for user in users)
    )
