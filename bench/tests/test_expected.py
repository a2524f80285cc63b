"""The reference answer the gateways are checked against before any load."""

from expected import expected_data, is_non_trivial

__all__: list[str] = []


def test_the_answer_holds_all_six_users_and_the_five_top_products():
    data = expected_data()
    assert [user["id"] for user in data["users"]] == ["1", "2", "3", "4", "5", "6"]
    assert [product["upc"] for product in data["topProducts"]] == ["1", "2", "3", "4", "5"]
    assert is_non_trivial(data)


def test_products_over_1000_ship_free_and_others_pay_half_their_weight():
    top = {product["upc"]: product for product in expected_data()["topProducts"]}
    assert top["2"]["price"] == 1299 and top["2"]["shippingEstimate"] == 0
    assert top["1"]["weight"] == 100 and top["1"]["shippingEstimate"] == 50


def test_an_answer_missing_the_top_products_is_trivial():
    data = expected_data()
    assert not is_non_trivial({"users": data["users"], "topProducts": []})
    assert not is_non_trivial(None)
