"""The memoised subgraph server: one execution per distinct body, answers in order."""

import asyncio
import socket
from typing import Any

import orjson
from fastserver import MemoisedGraphQL, serve_forever

__all__: list[str] = []


def _counting_app() -> tuple[MemoisedGraphQL, list[str]]:
    seen: list[str] = []

    async def execute(
        query: str, variables: dict[str, Any] | None, operation: str | None
    ) -> dict[str, Any]:
        seen.append(query)
        await asyncio.sleep(0.01)  # a slow first execution must not reorder answers
        return {"data": {"echo": query}}

    return MemoisedGraphQL("test", execute), seen


async def test_the_same_body_is_executed_once_and_then_replayed():
    app, seen = _counting_app()
    body = orjson.dumps({"query": "{ a }"})
    first = await app.respond(body)
    second = await app.respond(body)
    assert first == second
    assert seen == ["{ a }"]
    assert app.replayed == 1


async def test_a_body_that_is_not_json_gets_a_400_with_a_graphql_error():
    app, _ = _counting_app()
    response = await app.respond(b"not json")
    assert response.startswith(b"HTTP/1.1 400 ")
    assert b'"errors"' in response


async def test_pipelined_requests_on_one_connection_are_answered_in_order():
    app, _ = _counting_app()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = asyncio.ensure_future(serve_forever({port: app}))
    try:
        for _ in range(50):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        requests = b""
        for query in ("{ slow }", "{ second }"):
            body = orjson.dumps({"query": query})
            requests += (
                b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
        writer.write(requests)
        await writer.drain()
        answers = []
        for _ in range(2):
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            answers.append(orjson.loads(await reader.readexactly(length)))
        writer.close()
        assert [a["data"]["echo"] for a in answers] == ["{ slow }", "{ second }"]
    finally:
        server.cancel()
