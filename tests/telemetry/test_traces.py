"""Traces: a span per request, per stage and per subgraph fetch, one trace end to end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from gateway.app import create_app
from gateway.config import GatewayConfig
from subgraphs.common.app import TracingMiddleware
from tests.gateway.federated_fixture import companies_app, residents_app, supergraph_sdl
from tests.support.servers import serve_asgi

SEEN_TRACEPARENTS: list[str] = []
EXPORTER = InMemorySpanExporter()


def _recording(app: Any) -> Callable[..., Awaitable[None]]:
    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            if b"traceparent" in headers:
                SEEN_TRACEPARENTS.append(headers[b"traceparent"].decode())
        await app(scope, receive, send)

    return asgi


@pytest.fixture(scope="module")
def supergraph_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    with (
        serve_asgi(_recording(TracingMiddleware(residents_app(), name="residents"))) as residents,
        serve_asgi(_recording(TracingMiddleware(companies_app(), name="companies"))) as companies,
    ):
        path = tmp_path_factory.mktemp("sg") / "supergraph.graphql"
        path.write_text(supergraph_sdl(residents, companies))
        yield str(path)


async def test_one_trace_covers_the_request_its_stages_and_each_subgraph_fetch(
    supergraph_file: str,
) -> None:
    app = create_app(GatewayConfig(supergraph=supergraph_file))
    EXPORTER.clear()
    SEEN_TRACEPARENTS.clear()
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ companies { name representative { name } } }"},
            headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"},
        )
    await app.state.gateway.aclose()
    assert response.status_code == 200

    spans = EXPORTER.get_finished_spans()
    names = [s.name for s in spans]
    for expected in ("govgraph.request", "govgraph.validate", "govgraph.plan", "govgraph.execute"):
        assert expected in names, f"no {expected} span in {names}"
    assert names.count("subgraph_fetch") == 2  # the root fetch and one entity fetch
    # The departments are instrumented too: their server spans join the same trace.
    assert names.count("subgraph.companies") == 1 and names.count("subgraph.residents") == 1
    # The gateway continued the caller's trace, and handed it on to both subgraphs.
    assert {format(s.context.trace_id, "032x") for s in spans} == {caller_trace}
    assert len(SEEN_TRACEPARENTS) == 2
    assert all(tp.split("-")[1] == caller_trace for tp in SEEN_TRACEPARENTS)
