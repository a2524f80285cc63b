"""Attack suite: calling a department's subgraph around the gateway.

Subgraphs hold the raw, unmasked records and trust the gateway to have decided. So they
answer only requests the gateway signed (HMAC over the caller and the exact body, with a
timestamp) and refuse everything else with 401 before any resolver runs.
"""

from __future__ import annotations

import base64
import time
import urllib.parse

import httpx
import orjson
import pytest
from e2e_stack import DEPARTMENTS, Stack

from gateway.policy.signing import CALLER_HEADER, SIGNATURE_HEADER, sign_subgraph_request


def person_query(stack: Stack) -> bytes:
    resident = stack.truth.resident_of("211202")
    return orjson.dumps(
        {"query": f'{{ person(idNumber: "{resident.id_number}") {{ name phone idNumber }} }}'}
    )


def entities_query(stack: Stack) -> bytes:
    resident = stack.truth.resident_of("211202")
    return orjson.dumps(
        {
            "query": "query($r: [_Any!]!) { _entities(representations: $r) {"
            " ... on Person { contributions { period personalAmount } } } }",
            "variables": {"r": [{"__typename": "Person", "idNumber": resident.id_number}]},
        }
    )


def signed(
    stack: Stack, body: bytes, *, secret: bytes | None = None, **caller: object
) -> dict[str, str]:
    settings: dict[str, object] = {"subject": "officer-211202", "client_id": None, "purpose": "x"}
    settings.update(caller)
    return sign_subgraph_request(body, secret=secret or stack.secret, **settings)  # type: ignore[arg-type]


def post(stack: Stack, department: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return stack.client.post(
        f"{stack.subgraph_urls[department]}/graphql",
        content=body,
        headers={"content-type": "application/json", **headers},
    )


def assert_refused(response: httpx.Response, what: str) -> None:
    assert response.status_code == 401, f"{what}: expected 401, got {response.status_code}"
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", what
    assert "data" not in body, f"{what}: the department released data"


@pytest.mark.parametrize("department", DEPARTMENTS)
def test_an_unsigned_request_to_any_department_is_refused(stack: Stack, department: str) -> None:
    response = post(stack, department, b'{"query": "{ __typename }"}', {})
    assert_refused(response, f"unsigned request to {department}")


def test_an_unsigned_person_lookup_at_the_population_subgraph_is_refused(stack: Stack) -> None:
    response = post(stack, "population", person_query(stack), {})
    assert_refused(response, "unsigned person lookup")
    assert stack.truth.resident_of("211202").phone not in response.text


def test_an_unsigned_entities_call_is_refused(stack: Stack) -> None:
    response = post(stack, "social_security", entities_query(stack), {})
    assert_refused(response, "unsigned _entities")


def test_an_unsigned_service_sdl_request_is_refused(stack: Stack) -> None:
    response = post(stack, "civil_affairs", b'{"query": "{ _service { sdl } }"}', {})
    assert_refused(response, "unsigned _service")


def test_an_unsigned_get_request_is_refused(stack: Stack) -> None:
    query = urllib.parse.urlencode({"query": "{ __typename }"})
    response = stack.client.get(f"{stack.subgraph_urls['population']}/graphql?{query}")
    assert_refused(response, "unsigned GET")


def test_a_bearer_token_is_no_substitute_for_the_gateway_signature(stack: Stack) -> None:
    token = stack.officer("211202", scopes=("civil_affairs:officer", "population:identity"))
    response = post(stack, "population", person_query(stack), {"authorization": f"Bearer {token}"})
    assert_refused(response, "officer token sent straight to a department")


def test_a_stale_signature_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    headers = signed(stack, body, now=time.time() - 3600)
    response = post(stack, "population", body, headers)
    assert_refused(response, "a signature an hour old")
    assert "expired" in response.json()["errors"][0]["message"]


def test_a_signature_from_the_future_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    response = post(stack, "population", body, signed(stack, body, now=time.time() + 3600))
    assert_refused(response, "a signature dated an hour ahead")


def test_a_signed_request_with_a_different_body_is_refused(stack: Stack) -> None:
    harmless = b'{"query": "{ divisions { code } }"}'
    headers = signed(stack, harmless)
    response = post(stack, "population", person_query(stack), headers)
    assert_refused(response, "a signature moved onto another body")


def test_a_caller_header_edited_after_signing_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    headers = signed(stack, body)
    caller = orjson.loads(base64.urlsafe_b64decode(headers[CALLER_HEADER] + "=="))
    caller["sub"] = "211202194106263848"  # pretend to be a citizen reading themself
    headers[CALLER_HEADER] = base64.urlsafe_b64encode(orjson.dumps(caller)).rstrip(b"=").decode()
    response = post(stack, "population", body, headers)
    assert_refused(response, "an edited caller header")


def test_a_flipped_signature_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    headers = signed(stack, body)
    mac = headers[SIGNATURE_HEADER]
    headers[SIGNATURE_HEADER] = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    assert_refused(post(stack, "population", body, headers), "a signature with one digit changed")


def test_a_request_signed_with_another_secret_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    headers = signed(stack, body, secret=b"guessed-secret")
    assert_refused(post(stack, "population", body, headers), "a signature with a guessed key")


def test_an_unsupported_signature_version_is_refused(stack: Stack) -> None:
    body = person_query(stack)
    headers = signed(stack, body)
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER].replace("v1=", "v0=")
    assert_refused(post(stack, "population", body, headers), "signature version v0")


def test_a_correctly_signed_request_is_answered(stack: Stack) -> None:
    body = person_query(stack)
    response = post(stack, "population", body, signed(stack, body))
    assert response.status_code == 200, response.text
    resident = stack.truth.resident_of("211202")
    # The department answers in full: deciding and masking is the gateway's job.
    assert response.json()["data"]["person"]["idNumber"] == resident.id_number


def test_a_correctly_signed_entities_call_is_answered(stack: Stack) -> None:
    body = entities_query(stack)
    response = post(stack, "social_security", body, signed(stack, body))
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    assert isinstance(response.json()["data"]["_entities"][0]["contributions"], list)


def test_a_correctly_signed_get_request_is_answered(stack: Stack) -> None:
    query = urllib.parse.urlencode({"query": "{ divisions { code } }"})
    headers = signed(stack, query.encode())
    response = stack.client.get(
        f"{stack.subgraph_urls['population']}/graphql?{query}", headers=headers
    )
    assert response.status_code == 200, response.text
    assert {"code": "211202"} in response.json()["data"]["divisions"]


def test_health_stays_open_for_the_load_balancer(stack: Stack) -> None:
    for department in DEPARTMENTS:
        response = stack.client.get(f"{stack.subgraph_urls[department]}/health")
        assert response.status_code == 200, f"{department}: {response.text}"


@pytest.mark.parametrize("path", ["/graphql/", "//graphql", "/GRAPHQL", "/graphql?debug=1"])
def test_spellings_of_the_graphql_path_find_no_unsigned_way_in(stack: Stack, path: str) -> None:
    response = stack.client.post(
        f"{stack.subgraph_urls['population']}{path}",
        content=person_query(stack),
        headers={"content-type": "application/json"},
    )
    assert response.status_code in (401, 404), f"{path}: {response.status_code} {response.text}"
    assert '"data"' not in response.text
