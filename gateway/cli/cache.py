"""``govgraph cache``: invalidate cached entries by entity or type, and read the counters.

Entries in Redis are reached directly (``--url redis://…``, or ``GOVGRAPH_CACHE_URL``);
the in-memory cache lives inside each gateway process and is reached through the
gateway's admin endpoint (``--gateway URL --token TOKEN``, scope ``govgraph:admin``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import click
import orjson

__all__ = ["cache", "parse_key"]

_URL = click.option(
    "--url",
    envvar="GOVGRAPH_CACHE_URL",
    help="The shared cache, redis://host:port/db [env GOVGRAPH_CACHE_URL].",
)
_PREFIX = click.option(
    "--prefix",
    envvar="GOVGRAPH_CACHE_PREFIX",
    default="govgraph",
    show_default=True,
    help="Key namespace the gateways use.",
)
_GATEWAY = click.option(
    "--gateway", help="A gateway's base URL, to go through its admin endpoint instead."
)
_TOKEN = click.option(
    "--token", envvar="GOVGRAPH_ADMIN_TOKEN", help="Bearer token with govgraph:admin."
)


def parse_key(pairs: tuple[str, ...]) -> dict[str, Any] | None:
    """``("idNumber=2112…",)`` → ``{"idNumber": "2112…"}``; dotted names nest (``org.id=5``)."""
    if not pairs:
        return None
    key: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not field=value", param_hint="--key")
        target = key
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
            if not isinstance(target, dict):
                raise click.BadParameter(f"{name!r} clashes with another key field")
        target[leaf] = value
    return key


@click.group()
def cache() -> None:
    """Inspect and invalidate the gateway caches."""


@cache.command()
@click.option("--type", "type_name", required=True, help="The type, e.g. Person.")
@click.option("--key", "pairs", multiple=True, help="A key field, field=value (repeatable).")
@_URL
@_PREFIX
@_GATEWAY
@_TOKEN
def invalidate(
    type_name: str,
    pairs: tuple[str, ...],
    url: str | None,
    prefix: str,
    gateway: str | None,
    token: str | None,
) -> None:
    """Invalidate one entity (--key …) or every entry touching a type (no --key).

    \b
    govgraph cache invalidate --type Person --key idNumber=211221199003074518
    govgraph cache invalidate --type Enterprise --url redis://127.0.0.1:6379/0
    """
    key = parse_key(pairs)
    if gateway:
        body = {"type": type_name, "key": key}
        answer = _admin("POST", gateway, "/admin/cache/invalidate", token, body)
        click.echo(orjson.dumps(answer).decode())
        return
    done = asyncio.run(_invalidate(_shared_url(url), prefix, type_name, key))
    if not done:
        raise click.ClickException("the cache backend is unavailable: nothing was invalidated")
    what = f"{type_name} {orjson.dumps(key).decode()}" if key else f"every entry of {type_name}"
    click.echo(f"invalidated {what}")


@cache.command()
@_URL
@_PREFIX
@_GATEWAY
@_TOKEN
def stats(url: str | None, prefix: str, gateway: str | None, token: str | None) -> None:
    """Entry counts in the shared cache, or one gateway's counters (--gateway)."""
    if gateway:
        answer = _admin("GET", gateway, "/admin/cache/stats", token, None)
        click.echo(orjson.dumps(answer, option=orjson.OPT_INDENT_2).decode())
        return
    counts = asyncio.run(_count(_shared_url(url), prefix))
    click.echo(orjson.dumps(counts, option=orjson.OPT_INDENT_2).decode())


def _shared_url(url: str | None) -> str:
    if not url or url.startswith("memory:"):
        raise click.ClickException(
            "the memory cache lives inside each gateway process: pass --url redis://… "
            "for the shared cache, or --gateway URL --token TOKEN"
        )
    return url


async def _invalidate(url: str, prefix: str, type_name: str, key: dict[str, Any] | None) -> bool:
    from gateway.caching import CacheLayer, CacheSettings

    layer = CacheLayer(CacheSettings(url=url, prefix=prefix, redis_timeout=2.0))
    try:
        if key is None:
            return await layer.invalidate_type(type_name)
        return await layer.invalidate_entity(type_name, key)
    finally:
        await layer.aclose()


_KINDS = {"f": "fetches", "e": "entities", "r": "responses", "gen": "generations"}


async def _count(url: str, prefix: str) -> dict[str, Any]:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError

    client = aioredis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    counts = dict.fromkeys(_KINDS.values(), 0)
    generations: dict[str, str] = {}
    try:
        async for raw in client.scan_iter(f"{prefix}:*", count=1000):
            key = raw.decode() if isinstance(raw, bytes) else str(raw)
            kind = key[len(prefix) + 1 :].split(":", 1)[0]
            counts[_KINDS.get(kind, "other")] = counts.get(_KINDS.get(kind, "other"), 0) + 1
            if key.startswith(f"{prefix}:gen:t:"):
                value = await client.get(key)
                text = value.decode() if isinstance(value, bytes) else value
                generations[key[len(prefix) + 7 :]] = text or "0"
    except (RedisError, OSError) as exc:
        raise click.ClickException(f"cannot read the cache at {url}: {exc}") from exc
    finally:
        await client.aclose()
    return {"prefix": prefix, "entries": counts, "type_generations": generations}


def _admin(
    method: str, gateway: str, path: str, token: str | None, body: dict[str, Any] | None
) -> Any:
    import httpx

    if not token:
        raise click.ClickException("--token (or GOVGRAPH_ADMIN_TOKEN) is required with --gateway")
    try:
        response = httpx.request(
            method,
            gateway.rstrip("/") + path,
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    except httpx.HTTPError as exc:
        raise click.ClickException(f"cannot reach {gateway}: {exc}") from exc
    try:
        answer = response.json()
    except ValueError:
        answer = {"message": response.text}
    if response.status_code >= 400:
        raise click.ClickException(f"{response.status_code}: {answer.get('message', answer)}")
    return answer
