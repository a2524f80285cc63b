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
    server, reader, writer = await _serve(app)
    try:
        writer.write(_post("{ slow }") + _post("{ second }"))
        await writer.drain()
        answers = [await _answer(reader) for _ in range(2)]
        writer.close()
        assert [a["data"]["echo"] for a in answers] == ["{ slow }", "{ second }"]
    finally:
        server.cancel()


async def test_calls_counts_executed_and_replayed_requests_after_those_before_it():
    app, _ = _counting_app()
    server, reader, writer = await _serve(app)
    try:
        # Pipelined behind a slow first execution: /calls must still see both requests.
        writer.write(
            _post("{ slow }") + _post("{ slow }") + b"GET /calls HTTP/1.1\r\nhost: x\r\n\r\n"
        )
        await writer.drain()
        answers = [await _answer(reader) for _ in range(3)]
        writer.close()
        assert answers[2] == {"calls": 2}
        assert (app.executed, app.replayed) == (1, 1)
    finally:
        server.cancel()


async def _serve(
    app: MemoisedGraphQL,
) -> tuple[asyncio.Future[None], asyncio.StreamReader, asyncio.StreamWriter]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = asyncio.ensure_future(serve_forever({port: app}))
    for _ in range(50):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
        else:
            return server, reader, writer
    server.cancel()
    raise AssertionError(f"the test server on port {port} never accepted a connection")


def _post(query: str) -> bytes:
    body = orjson.dumps({"query": query})
    return (
        b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        + f"content-length: {len(body)}\r\n\r\n".encode()
        + body
    )


async def _answer(reader: asyncio.StreamReader) -> Any:
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    return orjson.loads(await reader.readexactly(length))
