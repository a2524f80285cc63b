"""GraphQL over HTTP: media type negotiation and the status each kind of failure gets."""

from __future__ import annotations

import pytest

from gateway.http.graphql_http import GRAPHQL_RESPONSE_JSON, encode_response, negotiate
from gateway.pipeline.request import GraphQLResponse


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json;q=0.5", "application/json"),
        ("*/*", "application/json"),
        ("text/html", None),
        ("application/graphql-response+json;q=0", None),
    ],
)
def test_the_response_media_type_follows_the_accept_header(
    accept: str | None, expected: str | None
) -> None:
    assert negotiate(accept) == expected


def test_a_validation_failure_is_400_for_graphql_response_json_and_200_for_json() -> None:
    refused = GraphQLResponse(errors=[{"message": "bad"}], executed=False, status=400)
    body, status = encode_response([refused], False, GRAPHQL_RESPONSE_JSON)
    assert status == 400
    assert body == b'{"errors":[{"message":"bad"}]}'
    _, legacy_status = encode_response([refused], False, "application/json")
    assert legacy_status == 200


def test_an_unusable_request_is_4xx_whatever_the_client_accepts() -> None:
    refused = GraphQLResponse(
        errors=[{"message": "no query"}], executed=False, status=400, request_error=True
    )
    assert encode_response([refused], False, "application/json")[1] == 400


def test_an_executed_response_keeps_data_even_when_null() -> None:
    response = GraphQLResponse(data=None, errors=[{"message": "x"}])
    body, status = encode_response([response], False, GRAPHQL_RESPONSE_JSON)
    assert status == 200
    assert body == b'{"errors":[{"message":"x"}],"data":null}'
