"""Spec: invalidation by entity and by type through the authenticated admin endpoint and
through ``govgraph cache``, reaching entries in memory and in the shared Redis."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator

import httpx
import orjson
import pytest
from cache_graph import CALLS
from cache_instance import Instance, redis_keys
from click.testing import CliRunner, Result
from fastapi import FastAPI
from starlette.requests import Request
from support.servers import serve_asgi

from gateway.caching import CacheLayer, CacheSettings, cache_admin_router
from gateway.cli import main
from gateway.identity import Issuer, TokenVerifier
from gateway.policy import Principal

Make = Callable[[CacheSettings], Awaitable[Instance]]

PERSON_A = "211221199003074518"
PERSON = f'{{ person(idNumber: "{PERSON_A}") {{ name phone }} }}'


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Issuer:
    return Issuer.open(data_dir=tmp_path_factory.mktemp("issuer"), clients_file=None)


def admin_app(layer: CacheLayer, issuer: Issuer) -> FastAPI:
    verifier = TokenVerifier(issuer.identity_config())

    async def principal_for(request: Request) -> Principal:
        return await verifier.verify(request.headers.get("authorization"))

    app = FastAPI()
    app.include_router(cache_admin_router(layer, principal_for))
    return app


def client(app: FastAPI, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway", headers=headers
    )


async def test_the_admin_endpoint_refuses_callers_without_a_token_or_the_admin_scope(
    make: Make, issuer: Issuer
) -> None:
    gateway = await make(CacheSettings(entities=True))
    app = admin_app(gateway.layer, issuer)
    body = {"type": "Person"}
    async with client(app) as anonymous:
        refused = await anonymous.post("/admin/cache/invalidate", json=body)
    officer = issuer.mint_user_token("officer-a", ["civil_affairs:officer"])
    async with client(app, officer) as officer_client:
        forbidden = await officer_client.post("/admin/cache/invalidate", json=body)
        stats = await officer_client.get("/admin/cache/stats")
    assert (refused.status_code, forbidden.status_code, stats.status_code) == (401, 403, 403)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert gateway.layer.stats.invalidations == 0


async def test_an_admin_invalidates_one_entity_and_it_is_fetched_again(
    make: Make, issuer: Issuer
) -> None:
    gateway = await make(CacheSettings(entities=True))
    await gateway.run(PERSON)
    await gateway.run("{ enterprises { name representative { name } } }")
    app = admin_app(gateway.layer, issuer)
    token = issuer.mint_user_token("ops-1", ["govgraph:admin"])
    async with client(app, token) as admin:
        answer = await admin.post(
            "/admin/cache/invalidate", json={"type": "Person", "key": {"idNumber": PERSON_A}}
        )
        stats = await admin.get("/admin/cache/stats")
    assert answer.status_code == 200
    assert answer.json() == {
        "invalidated": True,
        "type": "Person",
        "key": {"idNumber": PERSON_A},
        "by": "ops-1",
    }
    assert stats.json()["invalidations"] == 1
    entities = CALLS["population.entity"]
    await gateway.run("{ enterprises { name representative { name } } }")
    await gateway.run(PERSON)
    assert CALLS["population.entity"] == entities + 1  # that person, not the other one
    assert CALLS["population.person"] == 2  # a root fetch holding a Person goes stale too


async def test_the_admin_endpoint_explains_a_malformed_request(make: Make, issuer: Issuer) -> None:
    gateway = await make(CacheSettings(entities=True))
    token = issuer.mint_user_token("ops-1", ["govgraph:admin"])
    async with client(admin_app(gateway.layer, issuer), token) as admin:
        no_type = await admin.post("/admin/cache/invalidate", json={"key": {"idNumber": "1"}})
        bad_key = await admin.post("/admin/cache/invalidate", json={"type": "Person", "key": 5})
    assert (no_type.status_code, bad_key.status_code) == (400, 400)
    assert "type" in no_type.json()["message"]


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["cache", *args], catch_exceptions=False)


async def test_the_cli_invalidates_an_entity_in_the_shared_redis(
    make: Make, redis_url: str, prefix: str
) -> None:
    gateway = await make(CacheSettings(entities=True, url=redis_url, prefix=prefix))
    await gateway.run(PERSON)
    args = ["invalidate", "--type", "Person", "--key", f"idNumber={PERSON_A}"]
    result = await asyncio.to_thread(cli, *args, "--url", redis_url, "--prefix", prefix)
    assert result.exit_code == 0, result.output
    assert "invalidated Person" in result.output
    await gateway.run(PERSON)
    assert CALLS["population.person"] == 2


async def test_the_cli_invalidates_a_type_and_counts_entries(
    make: Make, redis_url: str, prefix: str
) -> None:
    gateway = await make(CacheSettings(entities=True, url=redis_url, prefix=prefix))
    await gateway.run("{ enterprises { name representative { name } } }")
    result = await asyncio.to_thread(
        cli, "invalidate", "--type", "Enterprise", "--url", redis_url, "--prefix", prefix
    )
    assert result.exit_code == 0, result.output
    stats = await asyncio.to_thread(cli, "stats", "--url", redis_url, "--prefix", prefix)
    counts = orjson.loads(stats.output)
    # the root fetch, the whole entity fetch, and its two entities
    assert counts["entries"]["fetches"] == 2
    assert counts["entries"]["entities"] == 2
    assert list(counts["type_generations"]) == ["Enterprise"]
    assert counts["type_generations"]["Enterprise"] != "0"
    assert len(await redis_keys(redis_url, prefix)) == 5


def test_the_cli_says_where_the_memory_cache_can_be_reached() -> None:
    result = CliRunner().invoke(main, ["cache", "invalidate", "--type", "Person"], env={})
    assert result.exit_code == 1
    assert "--gateway URL --token" in result.output


@pytest.fixture
def served_admin(issuer: Issuer) -> Iterator[tuple[str, CacheLayer]]:
    layer = CacheLayer(CacheSettings(entities=True))
    with serve_asgi(admin_app(layer, issuer)) as url:
        yield url, layer


def test_the_cli_goes_through_a_gateway_admin_endpoint_for_its_memory_cache(
    served_admin: tuple[str, CacheLayer], issuer: Issuer
) -> None:
    url, layer = served_admin
    token = issuer.mint_user_token("ops-1", ["govgraph:admin"])
    args = ["invalidate", "--type", "Person", "--key", "idNumber=1", "--gateway", url]
    refused = CliRunner().invoke(main, ["cache", *args, "--token", "not-a-token"])
    done = CliRunner().invoke(main, ["cache", *args, "--token", token])
    assert refused.exit_code == 1 and "401" in refused.output
    assert done.exit_code == 0, done.output
    assert orjson.loads(done.output)["invalidated"] is True
    assert layer.stats.invalidations == 1


def test_key_fields_on_the_command_line_may_nest() -> None:
    from gateway.cli.cache import parse_key

    assert parse_key(("id=5", "org.code=A", "org.county=211202")) == {
        "id": "5",
        "org": {"code": "A", "county": "211202"},
    }


async def test_the_counters_are_logged_once_at_shutdown(caplog: pytest.LogCaptureFixture) -> None:
    layer = CacheLayer(CacheSettings(entities=True))
    layer.stats.entities.hits = 3
    with caplog.at_level(logging.INFO, logger="govgraph.cache"):
        await layer.aclose()
    [line] = [r.getMessage() for r in caplog.records if "stats at shutdown" in r.getMessage()]
    counts = orjson.loads(line.split(": ", 1)[1])
    assert counts["entities"]["hits"] == 3
