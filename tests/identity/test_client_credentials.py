"""Spec: the built-in issuer's endpoints on a real loopback server, and its tokens verified
through its published JWKS, the way a gateway trusting it does."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from identity_helpers import serve

from gateway.identity import (
    ClientRegistry,
    IdentityConfig,
    Issuer,
    RegisteredClient,
    TokenVerifier,
    hash_secret,
    issuer_router,
    load_or_create_signing_key,
    verify_secret,
)

SECRET = "s3cret-of-the-exchange"


@pytest.fixture(scope="module")
def registry() -> ClientRegistry:
    return ClientRegistry(
        [
            RegisteredClient(
                client_id="liaoning-exchange",
                name="Provincial exchange",
                secret_hash=hash_secret(SECRET),
                scopes=frozenset({"population:read", "civil_affairs:read"}),
                department="provincial_exchange",
            )
        ]
    )


@pytest.fixture
def issuer(tmp_path: Path, registry: ClientRegistry) -> Issuer:
    key = load_or_create_signing_key(tmp_path)
    return Issuer(key=key, clients=registry, issuer="http://127.0.0.1:4000")


def app_for(issuer: Issuer) -> FastAPI:
    app = FastAPI()
    app.include_router(issuer_router(issuer))
    return app


async def test_client_secret_basic_gets_a_token_with_all_allowed_scopes(issuer: Issuer) -> None:
    async with serve(app_for(issuer)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("liaoning-exchange", SECRET),
        )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (body["token_type"], body["expires_in"], body["scope"]) == (
        "Bearer",
        900,
        "civil_affairs:read population:read",
    )
    principal = await TokenVerifier(issuer.identity_config()).verify(
        "Bearer " + body["access_token"]
    )
    assert (principal.kind, principal.subject, principal.client_id, principal.department) == (
        "client",
        "liaoning-exchange",
        "liaoning-exchange",
        "provincial_exchange",
    )
    assert principal.scopes == {"population:read", "civil_affairs:read"}


async def test_client_secret_post_with_a_narrower_scope_gets_only_what_it_asked(
    issuer: Issuer,
) -> None:
    async with serve(app_for(issuer)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "liaoning-exchange",
                "client_secret": SECRET,
                "scope": "population:read real_estate:read",
            },
        )
    assert response.status_code == 200
    assert response.json()["scope"] == "population:read"


@pytest.mark.parametrize(
    ("form", "auth", "status", "error"),
    [
        (
            {"grant_type": "client_credentials"},
            ("liaoning-exchange", "wrong"),
            401,
            "invalid_client",
        ),
        ({"grant_type": "client_credentials"}, ("nobody", SECRET), 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, None, 401, "invalid_client"),
        (
            {"grant_type": "client_credentials", "scope": "real_estate:read"},
            ("liaoning-exchange", SECRET),
            400,
            "invalid_scope",
        ),
        ({"grant_type": "password"}, ("liaoning-exchange", SECRET), 400, "unsupported_grant_type"),
        ({}, ("liaoning-exchange", SECRET), 400, "invalid_request"),
        (
            {"grant_type": "client_credentials", "client_secret": SECRET},
            ("liaoning-exchange", SECRET),
            400,
            "invalid_request",
        ),
    ],
)
async def test_token_endpoint_errors_follow_rfc_6749(
    issuer: Issuer,
    form: dict[str, str],
    auth: tuple[str, str] | None,
    status: int,
    error: str,
) -> None:
    async with serve(app_for(issuer)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/oauth/token", data=form, auth=auth)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == error and body["error_description"]
    assert "access_token" not in body
    if status == 401 and auth is not None:
        assert response.headers["www-authenticate"].startswith("Basic")


async def test_a_json_body_is_an_invalid_request(issuer: Issuer) -> None:
    async with serve(app_for(issuer)) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/oauth/token", json={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


async def test_jwks_and_metadata_are_published(issuer: Issuer) -> None:
    async with serve(app_for(issuer)) as url, httpx.AsyncClient(base_url=url) as http:
        jwks = (await http.get("/.well-known/jwks.json")).json()
        metadata = (await http.get("/.well-known/oauth-authorization-server")).json()
    assert [key["kid"] for key in jwks["keys"]] == [issuer.key.kid]
    assert all("d" not in key for key in jwks["keys"])
    assert metadata["issuer"] == "http://127.0.0.1:4000"
    assert metadata["token_endpoint"] == "http://127.0.0.1:4000/oauth/token"
    assert metadata["grant_types_supported"] == ["client_credentials"]
    assert metadata["scopes_supported"] == ["civil_affairs:read", "population:read"]


async def test_a_gateway_trusting_the_issuer_by_jwks_url_accepts_its_tokens(
    issuer: Issuer,
) -> None:
    async with serve(app_for(issuer)) as url:
        config = IdentityConfig(
            issuer=issuer.issuer, audience="govgraph", jwks_url=url + "/.well-known/jwks.json"
        )
        token = issuer.mint_user_token(
            "211202198001011239", ["population:read"], county="211202", name="Zhang Wei"
        )
        principal = await TokenVerifier(config).verify("Bearer " + token)
    assert (principal.kind, principal.subject, principal.county) == (
        "user",
        "211202198001011239",
        "211202",
    )
    assert principal.claims["name"] == "Zhang Wei"


def test_the_signing_key_is_created_once_private_and_reused(tmp_path: Path) -> None:
    first = load_or_create_signing_key(tmp_path)
    second = load_or_create_signing_key(tmp_path)
    assert first.kid == second.kid
    private = tmp_path / "issuer" / "signing-key.jwk.json"
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert b'"d"' not in first.jwks_path.read_bytes()


def test_a_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    load_or_create_signing_key(tmp_path)
    os.chmod(tmp_path / "issuer" / "signing-key.jwk.json", 0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_or_create_signing_key(tmp_path)


def test_secrets_are_stored_salted_and_verified() -> None:
    first, second = hash_secret("abc"), hash_secret("abc")
    assert first != second and "abc" not in first
    assert verify_secret("abc", first) and not verify_secret("abd", first)
    assert not verify_secret("abc", "plaintext-abc")


def test_a_registry_with_a_plaintext_secret_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "clients.yaml"
    path.write_text("clients:\n  - id: portal\n    secret_hash: hunter2\n    scopes: [a]\n")
    with pytest.raises(ValueError, match="plaintext secrets are refused"):
        ClientRegistry.from_yaml(path)


def test_the_demo_clients_accept_their_documented_development_secrets() -> None:
    registry = ClientRegistry.from_yaml(Path(__file__).parents[2] / "config" / "clients.yaml")
    exchange = registry.authenticate("liaoning-exchange", "dev-liaoning-exchange-secret")
    portal = registry.authenticate("tieling-portal", "dev-tieling-portal-secret")
    assert exchange is not None and portal is not None
    assert registry.authenticate("tieling-portal", "dev-liaoning-exchange-secret") is None


async def test_token_requests_beyond_the_secret_check_bound_get_503(issuer: Issuer) -> None:
    app = FastAPI()
    app.include_router(issuer_router(issuer, max_waiting_secret_checks=0))
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as http:
        response = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("liaoning-exchange", SECRET),
        )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"] == "temporarily_unavailable"
