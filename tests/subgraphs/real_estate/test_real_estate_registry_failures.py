"""What the subgraph answers when the registry misbehaves: always a clean GraphQL error.

Template: run a registry that fails in one way, ask the subgraph, state the error.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from aiohttp import web
from real_estate_sample import FLAT, SECRET, WANG, ask

from subgraphs.common.settings import SubgraphSettings
from subgraphs.real_estate.app import create_app
from subgraphs.real_estate.legacy_service import create_legacy_app, registry_path
from subgraphs.real_estate.registry_client import RegistryClient

PROPERTY = "query ($c: ID!) { property(certificateNumber: $c) { certificateNumber } }"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[tuple[str, web.AppRunner]]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", runner
    finally:
        await runner.cleanup()


def answering(handler: Handler) -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


def subgraph_for(url: str, **client_options: object) -> tuple[object, RegistryClient]:
    settings = SubgraphSettings.from_env(
        {"GOVGRAPH_REAL_ESTATE_LEGACY_URL": url, "GOVGRAPH_SUBGRAPH_SECRET": SECRET.decode()}
    )
    client = RegistryClient(url, **client_options)  # type: ignore[arg-type]
    return create_app(settings, client=client), client


async def test_a_registry_that_goes_down_mid_service_gives_the_clean_error(data_dir: Path) -> None:
    async with running(create_legacy_app(registry_path(data_dir))) as (url, runner):
        app, client = subgraph_for(url)
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        assert body == {"data": {"property": {"certificateNumber": FLAT}}}
        await runner.cleanup()  # the registry stops
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        assert body["errors"][0]["message"] == "real estate registry unavailable"
        await client.aclose()


async def test_a_registry_that_does_not_answer_in_time_is_unavailable() -> None:
    release = asyncio.Event()

    async def stall(request: web.Request) -> web.Response:
        await release.wait()  # answers only after the subgraph gave up
        return web.json_response({"code": 0, "msg": "成功", "data": []})

    async with running(answering(stall)) as (url, _):
        app, client = subgraph_for(url, timeout=httpx.Timeout(0.2))
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        release.set()
        await client.aclose()
    assert body["errors"][0] == {
        "message": "real estate registry unavailable",
        "locations": [{"line": 1, "column": 19}],
        "path": ["property"],
        "extensions": {"code": "REGISTRY_UNAVAILABLE"},
    }


async def test_an_answer_that_is_not_the_registry_envelope_is_unavailable() -> None:
    async def proxy_error_page(request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>Bad Gateway</html>", content_type="text/html")

    async with running(answering(proxy_error_page)) as (url, _):
        app, client = subgraph_for(url)
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        await client.aclose()
    assert body["errors"][0]["message"] == "real estate registry unavailable"


async def test_a_unit_of_unexpected_shape_is_unavailable_not_a_crash() -> None:
    async def half_unit(request: web.Request) -> web.Response:
        return web.json_response({"code": 0, "msg": "成功", "data": [{"bdcqzh": FLAT}]})

    async with running(answering(half_unit)) as (url, _):
        app, client = subgraph_for(url)
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        await client.aclose()
    assert body["errors"][0]["message"] == "real estate registry unavailable"
    assert "Traceback" not in str(body)


async def test_a_non_zero_registry_code_is_reported_with_the_registrys_reason() -> None:
    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"code": 9999, "msg": "系统内部错误", "data": None})

    async with running(answering(refuse)) as (url, _):
        app, client = subgraph_for(url)
        _, body = await ask(app, PROPERTY, {"c": FLAT})
        await client.aclose()
    assert body["errors"][0]["message"] == "real estate registry refused the request: 系统内部错误"
    assert body["errors"][0]["extensions"] == {"code": "REGISTRY_REFUSED", "registryCode": 9999}


async def test_batches_over_the_registry_limit_are_split_into_limit_sized_calls(
    legacy_url: str,
) -> None:
    app, client = subgraph_for(legacy_url)
    representations = [{"__typename": "Person", "idNumber": WANG}] * 600
    query = (
        "query ($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on Person { properties { certificateNumber } } } }"
    )
    _, body = await ask(app, query, {"r": representations})
    await client.aclose()
    assert "errors" not in body
    assert client.calls == 1  # the DataLoader de-duplicates the 600 equal keys


async def test_six_hundred_distinct_owners_cost_two_registry_calls(legacy_url: str) -> None:
    client = RegistryClient(legacy_url)
    owners = [f"{i:018d}" for i in range(599)] + [WANG]
    units = await client.units_by_owners(owners)
    await client.aclose()
    assert client.calls == 2
    assert len(units) == 2  # WANG's two properties, from the second chunk
