"""Spans for the request and each pipeline stage, made only when tracing is on."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from gateway.executor.tracing import tracing_enabled

__all__ = ["REQUEST_SPAN", "request_span", "stage_span"]

REQUEST_SPAN = "govgraph.request"
_NULL: AbstractContextManager[Any] = nullcontext()


def stage_span(name: str) -> AbstractContextManager[Any]:
    """``govgraph.<stage>`` as a child of the current span; a shared no-op when off."""
    if not tracing_enabled():
        return _NULL
    return trace.get_tracer("govgraph").start_as_current_span(f"govgraph.{name}")


def request_span(headers: Mapping[str, str], route: str) -> AbstractContextManager[Any]:
    """The server span of one HTTP request, continuing the caller's W3C trace if sent."""
    if not tracing_enabled():
        return _NULL
    return trace.get_tracer("govgraph").start_as_current_span(
        REQUEST_SPAN,
        context=propagate.extract(headers),
        kind=SpanKind.SERVER,
        attributes={"http.route": route},
    )
