"""The real_estate subgraph over a live legacy registry: queries, entities, seizure, failures.

Template: ``status, body = await ask(subgraph.app, QUERY, variables)`` then state ``body``
(and, for batching, ``subgraph.registry.calls``: HTTP round-trips to the registry).
"""

from __future__ import annotations

from typing import Any

import httpx
from real_estate_sample import (
    FACTORY,
    FLAT,
    LI,
    NOBODY_CO,
    PLANT,
    SECRET,
    SHOP,
    WANG,
    ZHAO,
    Subgraph,
    ask,
)

from subgraphs.common.settings import SubgraphSettings
from subgraphs.real_estate.app import create_app

PROPERTY = """
query ($c: ID!) {
  property(certificateNumber: $c) {
    certificateNumber address county { code name } usage area registeredOn
    parcel { parcelNumber landUse area } mortgaged seized
    owners { share owner { __typename ... on Person { idNumber } ... on Enterprise { creditCode } } }
  }
}
"""


async def test_a_property_is_read_through_the_registry_with_graph_names(
    subgraph: Subgraph,
) -> None:
    status, body = await ask(subgraph.app, PROPERTY, {"c": FLAT})
    assert status == 200
    assert body == {
        "data": {
            "property": {
                "certificateNumber": FLAT,
                "address": "银州区银州路12号3单元501室",
                "county": {"code": "211202", "name": "银州区"},
                "usage": "RESIDENTIAL",
                "area": 89.5,
                "registeredOn": "2021-03-04",
                "parcel": {
                    "parcelNumber": "211202001001GB00001",
                    "landUse": "城镇住宅用地",
                    "area": 1200.0,
                },
                "mortgaged": True,
                "seized": False,
                "owners": [
                    {"share": "50%", "owner": {"__typename": "Person", "idNumber": WANG}},
                    {"share": "50%", "owner": {"__typename": "Person", "idNumber": LI}},
                ],
            }
        }
    }


async def test_an_enterprise_owner_is_an_enterprise_stub(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, PROPERTY, {"c": PLANT})
    owners = body["data"]["property"]["owners"]
    assert owners == [
        {"share": "100%", "owner": {"__typename": "Enterprise", "creditCode": FACTORY}}
    ]


async def test_an_unregistered_certificate_is_null_not_an_error(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, PROPERTY, {"c": "辽(2000)铁岭市不动产权第9999999号"})
    assert body == {"data": {"property": None}}


LIST = """
query ($county: String, $usage: PropertyUsage, $first: Int, $after: String) {
  properties(county: $county, usage: $usage, first: $first, after: $after) {
    nodes { certificateNumber } pageInfo { hasNextPage endCursor } totalCount
  }
}
"""


def certificates(body: dict[str, Any]) -> list[str]:
    return [n["certificateNumber"] for n in body["data"]["properties"]["nodes"]]


async def test_properties_page_by_cursor_within_a_county(subgraph: Subgraph) -> None:
    _, first = await ask(subgraph.app, LIST, {"county": "211202", "first": 1})
    page = first["data"]["properties"]
    assert certificates(first) == [SHOP]  # ordered by certificate number
    assert (page["totalCount"], page["pageInfo"]["hasNextPage"]) == (2, True)
    _, second = await ask(
        subgraph.app, LIST, {"county": "211202", "first": 1, "after": page["pageInfo"]["endCursor"]}
    )
    assert certificates(second) == [FLAT]
    assert second["data"]["properties"]["pageInfo"]["hasNextPage"] is False


async def test_a_page_not_aligned_to_registry_pages_still_returns_the_right_rows(
    subgraph: Subgraph,
) -> None:
    _, first = await ask(subgraph.app, LIST, {"first": 1})
    cursor = first["data"]["properties"]["pageInfo"]["endCursor"]
    _, rest = await ask(subgraph.app, LIST, {"first": 2, "after": cursor})
    assert certificates(rest) == [PLANT, FLAT]
    assert rest["data"]["properties"]["pageInfo"]["hasNextPage"] is False


async def test_properties_filter_by_usage(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, LIST, {"usage": "INDUSTRIAL"})
    assert certificates(body) == [PLANT]


async def test_an_unknown_county_is_refused_naming_the_argument_and_rule(
    subgraph: Subgraph,
) -> None:
    _, body = await ask(subgraph.app, LIST, {"county": "110101"})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith("Invalid argument \"county\": '110101' is not a Tieling")
    assert error["extensions"]["argument"] == "county"
    assert error["extensions"]["rule"] == "Tieling county-level division code"


async def test_a_forged_cursor_is_a_clean_error(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, LIST, {"after": "not-a-cursor"})
    assert body["errors"][0]["extensions"]["argument"] == "after"


ENTITIES = """
query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Person { idNumber properties { certificateNumber } }
    ... on Enterprise { creditCode properties { certificateNumber } }
    ... on Property { certificateNumber seized }
  }
}
"""


async def test_fifty_person_representations_cost_exactly_one_registry_call(
    subgraph: Subgraph,
) -> None:
    people = [WANG, LI, ZHAO] + [ZHAO] * 47
    representations = [{"__typename": "Person", "idNumber": p} for p in people]
    _, body = await ask(subgraph.app, ENTITIES, {"r": representations})
    assert subgraph.registry.calls == 1
    entities = body["data"]["_entities"]
    assert len(entities) == 50
    assert entities[0] == {
        "idNumber": WANG,
        "properties": [{"certificateNumber": SHOP}, {"certificateNumber": FLAT}],
    }
    assert entities[1] == {"idNumber": LI, "properties": [{"certificateNumber": FLAT}]}
    assert entities[2] == {"idNumber": ZHAO, "properties": []}  # owns nothing: empty, not null


async def test_property_and_enterprise_representations_batch_per_type(subgraph: Subgraph) -> None:
    representations = [
        {"__typename": "Property", "certificateNumber": FLAT},
        {"__typename": "Property", "certificateNumber": "辽(2000)铁岭市不动产权第9999999号"},
        {"__typename": "Property", "certificateNumber": PLANT},
        {"__typename": "Enterprise", "creditCode": FACTORY},
        {"__typename": "Enterprise", "creditCode": NOBODY_CO},
    ]
    _, body = await ask(subgraph.app, ENTITIES, {"r": representations})
    assert body["data"]["_entities"] == [
        {"certificateNumber": FLAT, "seized": False},
        None,  # unknown entity
        {"certificateNumber": PLANT, "seized": True},
        {"creditCode": FACTORY, "properties": [{"certificateNumber": PLANT}]},
        {"creditCode": NOBODY_CO, "properties": []},
    ]
    assert subgraph.registry.calls == 2  # one by certificate, one by owner


async def test_a_malformed_identity_number_in_a_representation_is_a_clean_error(
    subgraph: Subgraph,
) -> None:
    bad = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    representations = [
        {"__typename": "Person", "idNumber": bad},
        {"__typename": "Person", "idNumber": LI},
    ]
    _, body = await ask(subgraph.app, ENTITIES, {"r": representations})
    assert body["data"]["_entities"][0] is None
    assert body["data"]["_entities"][1]["idNumber"] == LI
    [error] = body["errors"]
    assert error["message"] == (
        'Invalid argument "idNumber": check character does not match (GB 11643-1999)'
    )
    assert error["path"] == ["_entities", 0]


SEIZE = """
mutation ($c: ID!, $d: String!) {
  recordSeizure(certificateNumber: $c, courtDecision: $d) { certificateNumber seized }
}
"""


async def test_a_recorded_seizure_is_persisted_in_the_registry(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, SEIZE, {"c": SHOP, "d": "(2024)辽1202执123号"})
    assert body == {"data": {"recordSeizure": {"certificateNumber": SHOP, "seized": True}}}
    _, again = await ask(
        subgraph.app, "query ($c: ID!) { property(certificateNumber: $c) { seized } }", {"c": SHOP}
    )
    assert again == {"data": {"property": {"seized": True}}}


async def test_a_seizure_of_an_unknown_certificate_is_not_found(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, SEIZE, {"c": "辽(2000)铁岭市不动产权第9999999号", "d": "x"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["argument"] == "certificateNumber"


async def test_a_seizure_needs_a_court_decision(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, SEIZE, {"c": SHOP, "d": "   "})
    [error] = body["errors"]
    assert error["message"] == 'Invalid argument "courtDecision": must not be empty'
    assert subgraph.registry.calls == 0


def unreachable_settings() -> SubgraphSettings:
    # Port 9 (discard) on loopback: nothing listens there, connections are refused.
    return SubgraphSettings.from_env(
        {
            "GOVGRAPH_REAL_ESTATE_LEGACY_URL": "http://127.0.0.1:9",
            "GOVGRAPH_SUBGRAPH_SECRET": SECRET.decode(),
        }
    )


async def test_a_registry_that_is_down_gives_a_clean_error_not_a_trace() -> None:
    app = create_app(unreachable_settings())
    status, body = await ask(app, PROPERTY, {"c": FLAT})
    assert status == 200
    assert body["data"] == {"property": None}
    [error] = body["errors"]
    assert error["message"] == "real estate registry unavailable"
    assert error["extensions"] == {"code": "REGISTRY_UNAVAILABLE"}
    _, listed = await ask(app, LIST, {})
    assert listed["errors"][0]["message"] == "real estate registry unavailable"


async def test_health_reports_a_registry_that_is_down() -> None:
    app = create_app(unreachable_settings())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://subgraph"
    ) as client:
        response = await client.get("/health")
    assert response.status_code == 503


async def test_an_unsigned_request_is_refused(subgraph: Subgraph) -> None:
    status, body = await ask(subgraph.app, PROPERTY, {"c": FLAT}, signed=False)
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_first_zero_counts_without_listing(subgraph: Subgraph) -> None:
    _, body = await ask(subgraph.app, LIST, {"first": 0})
    assert body["data"]["properties"] == {
        "nodes": [],
        "pageInfo": {"hasNextPage": True, "endCursor": None},
        "totalCount": 3,
    }


async def test_a_page_size_over_the_maximum_is_refused_before_calling_the_registry(
    subgraph: Subgraph,
) -> None:
    _, body = await ask(subgraph.app, LIST, {"first": 101})
    assert body["errors"][0]["message"] == (
        'Invalid argument "first": must be between 0 and 100, got 101'
    )
    assert subgraph.registry.calls == 0


async def test_a_representation_without_its_key_is_a_clean_error(subgraph: Subgraph) -> None:
    # Bug: a missing key was a KeyError, masked as "Internal server error".
    representations = [{"__typename": "Property", "certificate": FLAT}]
    _, body = await ask(subgraph.app, ENTITIES, {"r": representations})
    assert body["data"]["_entities"] == [None]
    assert body["errors"][0]["extensions"]["argument"] == "certificateNumber"
    assert subgraph.registry.calls == 0
