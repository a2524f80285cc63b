"""Spec: a bearer token in, a Principal or a clear 401 out (keys from a JWKS file)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import orjson
import pytest
from identity_helpers import (
    AUDIENCE,
    ISSUER,
    NOW,
    b64,
    claims,
    jwks_of,
    make_key,
    sign,
    unsigned_token,
)
from pydantic import ValidationError

from gateway.errors import UnauthenticatedError
from gateway.identity import IdentityConfig, TokenVerifier
from gateway.identity.jose import JsonWebKey, Key
from gateway.policy.principal import ANONYMOUS, Principal


def verifier_for(tmp_path: Path, *keys: Key, **settings: Any) -> TokenVerifier:
    path = tmp_path / "jwks.json"
    path.write_bytes(orjson.dumps(jwks_of(*keys)))
    config = IdentityConfig(issuer=ISSUER, audience=AUDIENCE, jwks_file=path, **settings)
    return TokenVerifier(config, clock=lambda: NOW)


async def denied(verifier: TokenVerifier, header: str | None) -> str:
    with pytest.raises(UnauthenticatedError) as info:
        await verifier.verify(header)
    assert info.value.status == 401
    return info.value.message


async def test_a_valid_officer_token_becomes_a_user_principal(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    principal = await verifier.verify("Bearer " + sign(ec_key, claims()))
    assert principal == Principal(
        kind="user",
        subject="officer-0042",
        client_id=None,
        scopes=frozenset({"population:read", "civil_affairs:read"}),
        department="civil_affairs",
        county="211202",
        claims=principal.claims,
    )
    assert principal.claims["iss"] == ISSUER
    with pytest.raises(TypeError):
        principal.claims["sub"] = "someone else"  # type: ignore[index]


async def test_rsa_and_eddsa_tokens_verify_too(tmp_path: Path, rsa_key: Key) -> None:
    ed_key = make_key("OKP", "ed-1")
    verifier = verifier_for(tmp_path, rsa_key, ed_key)
    assert (await verifier.verify("Bearer " + sign(rsa_key, claims()))).kind == "user"
    assert (await verifier.verify("bearer " + sign(ed_key, claims()))).kind == "user"


async def test_a_client_credentials_token_becomes_a_client_principal(
    tmp_path: Path, ec_key: Key
) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    by_grant = claims(sub="liaoning-exchange", client_id="liaoning-exchange")
    by_grant["gty"] = "client-credentials"
    by_sub = claims(sub="tieling-portal", azp="tieling-portal")
    user_via_portal = claims(sub="officer-0042", azp="tieling-portal")
    assert (await verifier.verify("Bearer " + sign(ec_key, by_grant))).kind == "client"
    principal = await verifier.verify("Bearer " + sign(ec_key, by_sub))
    assert (principal.kind, principal.client_id) == ("client", "tieling-portal")
    principal = await verifier.verify("Bearer " + sign(ec_key, user_via_portal))
    assert (principal.kind, principal.subject, principal.client_id) == (
        "user",
        "officer-0042",
        "tieling-portal",
    )


async def test_a_token_expired_beyond_the_leeway_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key, leeway=30)
    token = sign(ec_key, claims(exp=int(NOW) - 31))
    assert await denied(verifier, "Bearer " + token) == "token has expired"


async def test_a_token_expired_within_the_leeway_is_accepted(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key, leeway=30)
    token = sign(ec_key, claims(exp=int(NOW) - 29))
    assert (await verifier.verify("Bearer " + token)).subject == "officer-0042"


async def test_a_token_not_yet_valid_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key, leeway=30)
    token = sign(ec_key, claims(nbf=int(NOW) + 120))
    assert await denied(verifier, "Bearer " + token) == "token is not yet valid"


async def test_a_token_without_exp_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    token = sign(ec_key, claims(exp=None))
    assert await denied(verifier, "Bearer " + token) == "token has no 'exp' claim"


async def test_a_token_from_another_issuer_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    token = sign(ec_key, claims(iss="https://id.elsewhere.example"))
    assert await denied(verifier, "Bearer " + token) == "token issuer is not trusted"


async def test_a_token_for_another_audience_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    assert await denied(verifier, "Bearer " + sign(ec_key, claims(aud="other-api"))) == (
        "token audience does not include this gateway"
    )
    listed = sign(ec_key, claims(aud=["other-api", AUDIENCE]))
    assert (await verifier.verify("Bearer " + listed)).authenticated


async def test_a_token_signed_by_another_key_with_a_known_kid_is_denied(
    tmp_path: Path, ec_key: Key
) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    impostor = make_key("EC", ec_key.kid)
    message = await denied(verifier, "Bearer " + sign(impostor, claims()))
    assert message == "token signature is invalid"


async def test_alg_none_is_refused(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    for alg in ("none", "None", "NONE"):
        token = unsigned_token({"alg": alg, "kid": ec_key.kid}, claims())
        assert await denied(verifier, "Bearer " + token) == (
            "unsigned tokens (alg 'none') are not accepted"
        )


async def test_hs256_signed_with_the_public_key_as_secret_is_refused(
    tmp_path: Path, rsa_key: Key
) -> None:
    """Algorithm confusion: the attacker knows the public key and uses it as an HMAC key."""
    verifier = verifier_for(tmp_path, rsa_key, algorithms=("RS256",))
    header, payload = {"alg": "HS256", "kid": rsa_key.kid}, claims(sub="attacker")
    signing_input = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(payload))}"
    for secret in (rsa_key.as_pem(is_private=False), orjson.dumps(rsa_key.as_dict())):
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        token = f"{signing_input}.{b64(mac)}"
        assert await denied(verifier, "Bearer " + token) == "token algorithm 'HS256' is not allowed"


async def test_an_allowed_algorithm_must_match_the_key_type(
    tmp_path: Path, ec_key: Key, rsa_key: Key
) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    # RS256 is allowed, but kid ec-1 is an EC key: the pairing is refused before crypto.
    token = unsigned_token({"alg": "RS256", "kid": ec_key.kid}, claims(), b"x" * 256)
    assert await denied(verifier, "Bearer " + token) == (
        "token algorithm does not match the issuer's key"
    )


def test_configuring_hmac_or_none_algorithms_is_an_error() -> None:
    for algorithms in (("HS256",), ("RS256", "none"), ()):
        with pytest.raises(ValidationError):
            IdentityConfig(
                issuer=ISSUER, audience=AUDIENCE, jwks_file=Path("x"), algorithms=algorithms
            )
    with pytest.raises(ValidationError, match="exactly one of jwks_file and jwks_url"):
        IdentityConfig(issuer=ISSUER, audience=AUDIENCE)


@pytest.mark.parametrize(
    ("mode", "token_claims", "expected"),
    [
        ("scope", {"scope": "a b  c"}, {"a", "b", "c"}),
        ("scp", {"scp": ["a", "b"]}, {"a", "b"}),
        ("roles", {"roles": ["officer", "auditor"]}, {"officer", "auditor"}),
        ("auto", {"scp": ["x"], "roles": ["y"]}, {"x"}),
        ("auto", {"roles": ["y"]}, {"y"}),
        ("scope", {"scp": ["ignored"]}, set()),
    ],
)
async def test_scopes_are_read_from_the_configured_claim(
    tmp_path: Path, ec_key: Key, mode: str, token_claims: dict[str, Any], expected: set[str]
) -> None:
    verifier = verifier_for(tmp_path, ec_key, scope_claim=mode)
    token = sign(ec_key, claims(**{"scope": None, **token_claims}))
    assert (await verifier.verify("Bearer " + token)).scopes == frozenset(expected)


async def test_department_and_county_claim_names_are_configurable(
    tmp_path: Path, ec_key: Key
) -> None:
    verifier = verifier_for(tmp_path, ec_key, department_claim="dept", county_claim="division")
    token = sign(ec_key, claims(dept="population", division="211221"))
    principal = await verifier.verify("Bearer " + token)
    assert (principal.department, principal.county) == ("population", "211221")


async def test_a_missing_token_is_denied_unless_anonymous_is_allowed(
    tmp_path: Path, ec_key: Key
) -> None:
    strict = verifier_for(tmp_path, ec_key)
    assert await denied(strict, None) == (
        "missing bearer token: send 'Authorization: Bearer <token>'"
    )
    assert await denied(strict, "  ") == (
        "missing bearer token: send 'Authorization: Bearer <token>'"
    )
    lenient = verifier_for(tmp_path, ec_key, allow_anonymous=True)
    assert await lenient.verify(None) is ANONYMOUS


async def test_a_bad_token_is_denied_even_when_anonymous_is_allowed(
    tmp_path: Path, ec_key: Key
) -> None:
    verifier = verifier_for(tmp_path, ec_key, allow_anonymous=True)
    assert await denied(verifier, "Bearer " + sign(ec_key, claims(exp=1))) == "token has expired"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Basic dXNlcjpwYXNz", "malformed Authorization header: expected 'Bearer <token>'"),
        ("Bearer", "malformed Authorization header: expected 'Bearer <token>'"),
        ("Bearer a b", "malformed Authorization header: expected 'Bearer <token>'"),
        ("Bearer abc", "token is not a signed JWT (expected header.payload.signature)"),
        ("Bearer a.b.c.d.e", "token is not a signed JWT (expected header.payload.signature)"),
        ("Bearer !!!.e30.sig", "token header is malformed"),
        ("Bearer " + "a" * 20000, "token is too large"),
    ],
)
async def test_malformed_headers_get_a_clear_message(
    tmp_path: Path, ec_key: Key, header: str, message: str
) -> None:
    assert await denied(verifier_for(tmp_path, ec_key), header) == message


async def test_a_garbled_payload_is_malformed_not_a_crash(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    header, _, signature = sign(ec_key, claims()).split(".")
    token = f"{header}.{b64(b'not json')}.{signature}"
    assert await denied(verifier, "Bearer " + token) in {
        "token is malformed",
        "token signature is invalid",
    }


async def test_an_unknown_kid_is_denied(tmp_path: Path, ec_key: Key) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    stranger = make_key("EC", "never-published")
    assert await denied(verifier, "Bearer " + sign(stranger, claims())) == (
        "token is signed with an unknown key (kid)"
    )


async def test_an_unreadable_jwks_file_denies_with_a_clear_message(tmp_path: Path) -> None:
    config = IdentityConfig(issuer=ISSUER, audience=AUDIENCE, jwks_file=tmp_path / "missing")
    verifier = TokenVerifier(config, clock=lambda: NOW)
    token = sign(make_key("EC"), claims())
    assert await denied(verifier, "Bearer " + token) == (
        "the issuer's signing keys could not be loaded; try again later"
    )


async def test_a_cached_verification_still_expires_with_the_token(
    tmp_path: Path, ec_key: Key
) -> None:
    now = [NOW]
    path = tmp_path / "jwks.json"
    path.write_bytes(orjson.dumps(jwks_of(ec_key)))
    config = IdentityConfig(issuer=ISSUER, audience=AUDIENCE, jwks_file=path, leeway=0)
    verifier = TokenVerifier(config, clock=lambda: now[0])
    header = "Bearer " + sign(ec_key, claims(exp=int(NOW) + 10))
    assert (await verifier.verify(header)).authenticated
    now[0] += 11
    assert await denied(verifier, header) == "token has expired"


async def test_a_withdrawn_key_stops_working_once_the_cached_verification_lapses(
    tmp_path: Path, ec_key: Key
) -> None:
    ticks = [0.0]
    path = tmp_path / "jwks.json"
    path.write_bytes(orjson.dumps(jwks_of(ec_key)))
    config = IdentityConfig(
        issuer=ISSUER,
        audience=AUDIENCE,
        jwks_file=path,
        jwks_cache_seconds=60,
        verified_cache_seconds=60,
    )
    verifier = TokenVerifier(config, clock=lambda: NOW, monotonic=lambda: ticks[0])
    header = "Bearer " + sign(ec_key, claims())
    assert (await verifier.verify(header)).authenticated
    path.write_bytes(orjson.dumps(jwks_of(make_key("EC", "successor"))))
    ticks[0] = 30.0
    assert (await verifier.verify(header)).authenticated  # still within both cache times
    ticks[0] = 61.0
    assert await denied(verifier, header) == "token is signed with an unknown key (kid)"


async def test_an_ecdsa_algorithm_must_match_the_key_curve(tmp_path: Path) -> None:
    p384 = JsonWebKey.import_key(
        dict(JsonWebKey.generate_key("EC", "P-384", is_private=True).as_dict(True), kid="p384")
    )
    verifier = verifier_for(tmp_path, p384)
    token = unsigned_token({"alg": "ES256", "kid": "p384"}, claims(), b"x" * 64)
    assert await denied(verifier, "Bearer " + token) == (
        "token algorithm does not match the issuer's key"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"exp": "soon"}, "token claim 'exp' must be a number"),
        ({"exp": True}, "token claim 'exp' must be a number"),
        ({"aud": {"govgraph": 1}}, "token audience does not include this gateway"),
        ({"scope": 5}, "token claim 'scope' must be a string or a list of strings"),
        ({"sub": ["a"]}, "token claim 'sub' must be a string"),
        ({"county": {"code": "211202"}}, "token claim 'county' must be a string"),
        ({"sub": None}, "token has no subject (sub)"),
    ],
)
async def test_signed_tokens_with_claims_of_the_wrong_type_get_a_401_not_a_crash(
    tmp_path: Path, ec_key: Key, overrides: dict[str, Any], message: str
) -> None:
    verifier = verifier_for(tmp_path, ec_key)
    token = sign(ec_key, claims(**overrides))  # a None override drops the claim
    assert await denied(verifier, "Bearer " + token) == message


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"alg": ["ES256"], "kid": "ec-1"}, "token header has no algorithm (alg)"),
        ({"kid": "ec-1"}, "token header has no algorithm (alg)"),
        ({"alg": "ES256", "kid": 7}, "token header is malformed (kid)"),
        ({"alg": "ES256\u0000", "kid": "ec-1"}, "token algorithm 'ES256?' is not allowed"),
    ],
)
async def test_malformed_jose_headers_get_a_401_not_a_crash(
    tmp_path: Path, ec_key: Key, header: dict[str, Any], message: str
) -> None:
    token = unsigned_token(header, claims(), b"x" * 64)
    assert await denied(verifier_for(tmp_path, ec_key), "Bearer " + token) == message
