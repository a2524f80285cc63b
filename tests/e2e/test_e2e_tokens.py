"""Attack suite: bearer tokens at the gateway's edge, and the built-in OAuth2 token endpoint.

Every bad token is a 401 with ``WWW-Authenticate: Bearer`` and the code UNAUTHENTICATED,
and no department is asked anything on its behalf.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable

import httpx
import orjson
import pytest
from e2e_stack import Stack

from gateway.identity import Issuer, load_or_create_signing_key
from gateway.identity.jose import JsonWebKey, JsonWebToken
from gateway.identity.signing_key import SigningKey

QUERY = "{ enterprises(first: 1) { nodes { name } } }"
EXCHANGE_ID, EXCHANGE_SECRET = "liaoning-exchange", "dev-liaoning-exchange-secret"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def officer_claims(stack: Stack) -> dict[str, object]:
    now = int(time.time())
    return {
        "sub": "officer-211202",
        "scope": "civil_affairs:officer",
        "county": "211202",
        "iss": stack.issuer.issuer,
        "aud": stack.issuer.audience,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }


def reissued(stack: Stack, **changes: object) -> Issuer:
    """The gateway's own issuer key, with some of its settings changed."""
    settings: dict[str, object] = {
        "key": stack.issuer.key,
        "clients": stack.issuer.clients,
        "issuer": stack.issuer.issuer,
        "audience": stack.issuer.audience,
    }
    settings.update(changes)
    return Issuer(**settings)  # type: ignore[arg-type]


def expired(stack: Stack) -> str:
    two_hours_ago = reissued(stack, clock=lambda: time.time() - 7200)
    return two_hours_ago.mint_user_token("officer-211202", ["civil_affairs:officer"], ttl=600)


def wrong_issuer(stack: Stack) -> str:
    other = reissued(stack, issuer="https://idp.other-city.example")
    return other.mint_user_token("officer-211202", ["civil_affairs:officer"], county="211202")


def wrong_audience(stack: Stack) -> str:
    other = reissued(stack, audience="shenyang-gateway")
    return other.mint_user_token("officer-211202", ["civil_affairs:officer"], county="211202")


def alg_none(stack: Stack) -> str:
    header = {"alg": "none", "typ": "JWT", "kid": stack.issuer.key.kid}
    return f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(officer_claims(stack)))}."


def hs256_with_the_public_key(stack: Stack) -> str:
    """Algorithm confusion: HMAC keyed with the issuer's published public key."""
    header = {"alg": "HS256", "typ": "JWT", "kid": stack.issuer.key.kid}
    signing_input = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(officer_claims(stack)))}"
    public_pem = stack.issuer.key.key.as_pem(is_private=False)
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


def another_key_same_kid(stack: Stack) -> str:
    """A key the attacker generated, presented under the issuer's key id."""
    attacker = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    header = {"alg": "ES256", "typ": "JWT", "kid": stack.issuer.key.kid}
    token: bytes = JsonWebToken(["ES256"]).encode(header, officer_claims(stack), attacker)
    return token.decode()


def rs256_header_on_the_ec_key(stack: Stack) -> str:
    genuine = stack.issuer.mint_user_token("officer-211202", ["civil_affairs:officer"])
    _, payload, signature = genuine.split(".")
    header = {"alg": "RS256", "typ": "JWT", "kid": stack.issuer.key.kid}
    return f"{b64(orjson.dumps(header))}.{payload}.{signature}"


def escalated_payload(stack: Stack) -> str:
    """A genuine token whose payload was edited to add a scope; signature kept."""
    genuine = stack.issuer.mint_user_token("officer-211202", ["civil_affairs:officer"])
    header, payload, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] += " population:identity"
    return f"{header}.{b64(orjson.dumps(claims))}.{signature}"


def signed_by_the_issuer(stack: Stack, claims: dict[str, object], **header: object) -> str:
    """Claims signed with the gateway's genuine key, bypassing the issuer's own checks."""
    jose_header = {"alg": "ES256", "typ": "JWT", "kid": stack.issuer.key.kid, **header}
    token: bytes = JsonWebToken(["ES256"]).encode(jose_header, claims, stack.issuer.key.key)
    return token.decode()


def not_yet_valid(stack: Stack) -> str:
    later = reissued(stack, clock=lambda: time.time() + 7200)
    return later.mint_user_token("officer-211202", ["civil_affairs:officer"], ttl=600)


def without_expiry(stack: Stack) -> str:
    claims = officer_claims(stack)
    del claims["exp"]
    return signed_by_the_issuer(stack, claims)


def without_subject(stack: Stack) -> str:
    claims = officer_claims(stack)
    del claims["sub"]
    return signed_by_the_issuer(stack, claims)


def carrying_its_own_key(stack: Stack) -> str:
    """The attacker signs with their key and embeds it (jwk header, CVE-2018-0114 style)."""
    attacker = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    header = {
        "alg": "ES256",
        "typ": "JWT",
        "jwk": dict(attacker.as_dict(is_private=False)),
    }
    token: bytes = JsonWebToken(["ES256"]).encode(header, officer_claims(stack), attacker)
    return token.decode()


BAD_TOKENS: dict[str, Callable[[Stack], str]] = {
    "malformed": lambda _: "this-is-not-a-jwt",
    "two segments only": lambda _: "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0",
    "expired": expired,
    "from another issuer": wrong_issuer,
    "for another audience": wrong_audience,
    "unsigned (alg none)": alg_none,
    "HS256 keyed with the public key": hs256_with_the_public_key,
    "signed by another key under the same kid": another_key_same_kid,
    "RS256 header on the EC signature": rs256_header_on_the_ec_key,
    "payload edited after signing": escalated_payload,
    "not valid yet": not_yet_valid,
    "without an expiry": without_expiry,
    "without a subject": without_subject,
    "carrying its own key (jwk header)": carrying_its_own_key,
}


def assert_unauthenticated(response: httpx.Response, what: str) -> None:
    assert response.status_code == 401, f"{what}: expected 401, got {response.status_code}"
    assert response.headers.get("www-authenticate", "").startswith("Bearer"), (
        f"{what}: a 401 must say how to authenticate (WWW-Authenticate: Bearer)"
    )
    errors = response.json()["errors"]
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", what
    assert "data" not in response.json(), f"{what}: no data for an unauthenticated caller"


def test_a_request_without_a_token_is_401_with_www_authenticate(stack: Stack) -> None:
    with stack.watching() as calls:
        response = stack.post({"query": QUERY})
    assert_unauthenticated(response, "no token")
    assert calls == [], "no department may be asked for an unauthenticated caller"


def test_introspection_without_a_token_is_refused_too(stack: Stack) -> None:
    assert_unauthenticated(
        stack.post({"query": "{ __schema { types { name } } }"}), "anonymous introspection"
    )


def test_a_basic_authorization_header_is_not_a_bearer_token(stack: Stack) -> None:
    response = stack.post({"query": QUERY}, headers={"authorization": "Basic bGlhb25pbmc6c2VjcmV0"})
    assert_unauthenticated(response, "Basic credentials at /graphql")


@pytest.mark.parametrize("attack", list(BAD_TOKENS), ids=list(BAD_TOKENS))
def test_a_forged_or_invalid_token_is_refused_before_any_department_is_asked(
    stack: Stack, attack: str
) -> None:
    token = BAD_TOKENS[attack](stack)
    with stack.watching() as calls:
        response = stack.post({"query": QUERY}, token=token, purpose="DB-1")
    assert_unauthenticated(response, f"a token {attack}")
    assert calls == [], f"a token {attack} reached a department"


def test_the_genuine_officer_token_is_accepted(stack: Stack) -> None:
    body = stack.ask(QUERY, token=stack.officer("211202"))
    assert "errors" not in body, body
    assert len(body["data"]["enterprises"]["nodes"]) == 1


def test_the_provincial_platform_obtains_a_client_token_with_its_demo_secret(
    stack: Stack,
) -> None:
    response = stack.client.post(
        f"{stack.gateway_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(EXCHANGE_ID, EXCHANGE_SECRET),
    )
    assert response.status_code == 200, response.text
    grant = response.json()
    assert grant["token_type"] == "Bearer"
    assert grant["expires_in"] == 15 * 60
    assert response.headers["cache-control"] == "no-store", "tokens must never be cached"
    body = stack.ask(QUERY, token=grant["access_token"])
    assert "errors" not in body, f"the platform's own token was not accepted: {body}"


def test_the_secret_may_also_be_sent_in_the_form_body(stack: Stack) -> None:
    response = stack.client.post(
        f"{stack.gateway_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": EXCHANGE_ID,
            "client_secret": EXCHANGE_SECRET,
        },
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [(EXCHANGE_ID, "dev-liaoning-exchange-secreT"), ("shenyang-exchange", EXCHANGE_SECRET)],
    ids=["wrong secret", "unknown client"],
)
def test_a_bad_client_secret_is_rfc6749_invalid_client(
    stack: Stack, client_id: str, secret: str
) -> None:
    response = stack.client.post(
        f"{stack.gateway_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()
    assert response.headers.get("www-authenticate", "").startswith("Basic"), (
        "RFC 6749 §5.2: a failed Basic client authentication answers WWW-Authenticate"
    )


def test_a_client_cannot_obtain_scopes_it_is_not_registered_for(stack: Stack) -> None:
    response = stack.client.post(
        f"{stack.gateway_url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": "population:admin"},
        auth=(EXCHANGE_ID, EXCHANGE_SECRET),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_only_the_client_credentials_grant_is_served(stack: Stack) -> None:
    response = stack.client.post(
        f"{stack.gateway_url}/oauth/token",
        data={"grant_type": "password", "username": "officer", "password": "x"},
        auth=(EXCHANGE_ID, EXCHANGE_SECRET),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_the_published_jwks_holds_no_private_key_material(stack: Stack) -> None:
    keys = stack.client.get(f"{stack.gateway_url}/.well-known/jwks.json").json()["keys"]
    assert [k["kid"] for k in keys] == [stack.issuer.key.kid]
    assert all("d" not in k for k in keys), "the private key was published"


def test_a_token_of_an_unknown_key_is_refused(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    old: SigningKey = load_or_create_signing_key(tmp_path_factory.mktemp("old-issuer"))
    token = reissued(stack, key=old).mint_user_token("officer-211202", ["civil_affairs:officer"])
    assert_unauthenticated(stack.post({"query": QUERY}, token=token), "a token of an unknown key")


def test_the_forging_helper_itself_makes_an_accepted_token_from_complete_claims(
    stack: Stack,
) -> None:
    """Control: the refusals above come from the missing claim, not from the helper."""
    token = signed_by_the_issuer(stack, officer_claims(stack))
    assert "errors" not in stack.ask(QUERY, token=token)
