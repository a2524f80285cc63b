"""Spec: an external issuer's keys come from a JWKS URL (served here on loopback), cached,
refetched once for an unknown kid, at most once per refresh interval."""

from __future__ import annotations

from typing import Any

import pytest
from identity_helpers import AUDIENCE, ISSUER, NOW, claims, jwks_of, make_key, serve, sign
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.errors import UnauthenticatedError
from gateway.identity import IdentityConfig, TokenVerifier
from gateway.identity.jose import Key


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class JwksServer:
    """A real HTTP endpoint whose key set the test rotates, counting the fetches."""

    def __init__(self, *keys: Key) -> None:
        self.jwks: dict[str, Any] = jwks_of(*keys)
        self.fetches = 0
        self.status = 200

    async def endpoint(self, request: Request) -> Response:
        self.fetches += 1
        if self.status != 200:
            return Response("unavailable", status_code=self.status)
        return JSONResponse(self.jwks)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/jwks.json", self.endpoint)])


def verifier_for(url: str, clock: FakeClock) -> TokenVerifier:
    config = IdentityConfig(
        issuer=ISSUER, audience=AUDIENCE, jwks_url=url + "/jwks.json", jwks_min_refresh_seconds=30
    )
    return TokenVerifier(config, clock=lambda: NOW, monotonic=clock)


async def test_keys_are_fetched_once_and_cached() -> None:
    key = make_key("EC", "k1")
    server, clock = JwksServer(key), FakeClock()
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        for _ in range(3):
            assert (await verifier.verify("Bearer " + sign(key, claims()))).kind == "user"
    assert server.fetches == 1


async def test_a_rotated_key_is_picked_up_by_one_refresh_on_its_unknown_kid() -> None:
    old, new = make_key("EC", "2026-01"), make_key("EC", "2026-02")
    server, clock = JwksServer(old), FakeClock()
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        await verifier.verify("Bearer " + sign(old, claims()))
        server.jwks = jwks_of(old, new)
        clock.now += 31
        principal = await verifier.verify("Bearer " + sign(new, claims()))
    assert principal.subject == "officer-0042"
    assert server.fetches == 2


async def test_an_unknown_kid_triggers_one_refresh_then_is_denied() -> None:
    key, stranger = make_key("EC", "k1"), make_key("EC", "made-up")
    server, clock = JwksServer(key), FakeClock()
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        await verifier.verify("Bearer " + sign(key, claims()))
        clock.now += 31
        with pytest.raises(UnauthenticatedError, match=r"unknown key \(kid\)"):
            await verifier.verify("Bearer " + sign(stranger, claims()))
    assert server.fetches == 2


async def test_refreshes_for_unknown_kids_are_rate_limited() -> None:
    key = make_key("EC", "k1")
    server, clock = JwksServer(key), FakeClock()
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        await verifier.verify("Bearer " + sign(key, claims()))
        clock.now += 31
        for attempt in range(20):
            stranger = make_key("EC", f"made-up-{attempt}")
            with pytest.raises(UnauthenticatedError, match=r"unknown key \(kid\)"):
                await verifier.verify("Bearer " + sign(stranger, claims()))
            clock.now += 1
        assert server.fetches == 2  # the first unknown kid refetched; the next 19 did not
        clock.now += 30
        with pytest.raises(UnauthenticatedError):
            await verifier.verify("Bearer " + sign(make_key("EC", "later"), claims()))
        assert server.fetches == 3


async def test_an_unreachable_jwks_url_denies_with_a_clear_message() -> None:
    key = make_key("EC", "k1")
    server, clock = JwksServer(key), FakeClock()
    async with serve(server.app()) as url:
        pass  # the server is gone: nothing listens on that port any more
    verifier = verifier_for(url, clock)
    with pytest.raises(UnauthenticatedError) as info:
        await verifier.verify("Bearer " + sign(key, claims()))
    assert info.value.message == "the issuer's signing keys could not be loaded; try again later"


async def test_a_failing_jwks_endpoint_denies_and_is_not_hammered() -> None:
    key = make_key("EC", "k1")
    server, clock = JwksServer(key), FakeClock()
    server.status = 503
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        for _ in range(5):
            with pytest.raises(UnauthenticatedError, match="signing keys"):
                await verifier.verify("Bearer " + sign(key, claims()))
        assert server.fetches == 1
        server.status = 200
        clock.now += 31
        assert (await verifier.verify("Bearer " + sign(key, claims()))).authenticated


async def test_stale_keys_stay_in_use_when_the_periodic_refetch_fails() -> None:
    key = make_key("EC", "k1")
    server, clock = JwksServer(key), FakeClock()
    async with serve(server.app()) as url:
        verifier = verifier_for(url, clock)
        await verifier.verify("Bearer " + sign(key, claims()))
        server.status = 500
        clock.now += 601  # past jwks_cache_seconds
        assert (await verifier.verify("Bearer " + sign(key, claims()))).authenticated
    assert server.fetches == 2
