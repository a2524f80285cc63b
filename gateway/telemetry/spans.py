"""Spans for the request and each pipeline stage, made only when tracing is on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import NoOpTracerProvider, ProxyTracerProvider, SpanKind

__all__ = ["REQUEST_SPAN", "active_tracer", "request_span", "stage_span"]

REQUEST_SPAN = "govgraph.request"
_NULL: AbstractContextManager[Any] = nullcontext()
_tracer: trace.Tracer | None = None
_UNKNOWN = object()
# A provider named in the environment is loaded by get_tracer_provider on first use.
_PROVIDER_FROM_ENV = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ


def active_tracer() -> trace.Tracer | None:
    # A real provider can be installed only once per process, so once found it is kept;
    # until then the (cheap) global lookup is repeated, so one installed late is seen.
    global _tracer
    if _tracer is not None:
        return _tracer
    if not _PROVIDER_FROM_ENV and getattr(trace, "_TRACER_PROVIDER", _UNKNOWN) is None:
        # The API's own global says none is installed: spares get_tracer_provider's
        # environment lookup, several per request while tracing is off.
        return None
    provider = trace.get_tracer_provider()
    if isinstance(provider, ProxyTracerProvider | NoOpTracerProvider):
        return None
    _tracer = provider.get_tracer("govgraph")
    return _tracer


def stage_span(name: str) -> AbstractContextManager[Any]:
    """``govgraph.<stage>`` as a child of the current span; a shared no-op when off."""
    tracer = active_tracer()
    if tracer is None:
        return _NULL
    return tracer.start_as_current_span(f"govgraph.{name}")


def request_span(
    headers: Mapping[str, str], route: str, name: str = REQUEST_SPAN
) -> AbstractContextManager[Any]:
    """The server span of one HTTP request, continuing the caller's W3C trace if sent."""
    tracer = active_tracer()
    if tracer is None:
        return _NULL
    return tracer.start_as_current_span(
        name,
        context=propagate.extract(headers),
        kind=SpanKind.SERVER,
        attributes={"http.route": route},
    )
