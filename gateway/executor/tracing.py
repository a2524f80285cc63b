"""A span per subgraph fetch, with W3C trace context in the subgraph request headers.

With no tracer provider configured (the OpenTelemetry API's proxy or no-op provider) no
span is made (``fetch_tracer`` is None) and ``inject_caller_context`` still propagates
the caller's trace context, if any. That keeps the hot path free of span objects and
context managers unless tracing is on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import (
    NoOpTracerProvider,
    ProxyTracerProvider,
    SpanKind,
    Status,
    StatusCode,
)

__all__ = ["SPAN_NAME", "fetch_span", "fetch_tracer", "inject_caller_context"]

SPAN_NAME = "subgraph_fetch"

_tracer_found: trace.Tracer | None = None
_next_check = 0.0


def fetch_tracer() -> trace.Tracer | None:
    """The tracer for fetch spans, or None while no tracer provider is configured."""
    # The global provider can be set only once, so a real one is cached for good; until
    # then it is looked up at most once a second (the lookup reads os.environ).
    global _tracer_found, _next_check
    if _tracer_found is not None:
        return _tracer_found
    now = time.monotonic()
    if now < _next_check:
        return None
    _next_check = now + 1.0
    provider = trace.get_tracer_provider()
    if type(provider) is ProxyTracerProvider or isinstance(provider, NoOpTracerProvider):
        return None
    _tracer_found = provider.get_tracer("govgraph")
    return _tracer_found


def inject_caller_context(headers: dict[str, str]) -> None:
    """Without spans of our own, still pass on the caller's trace context, if any."""
    if trace.get_current_span().get_span_context().is_valid:
        propagate.inject(headers)


@contextmanager
def fetch_span(
    tracer: trace.Tracer, service_name: str, operation_name: str | None, headers: dict[str, str]
) -> Iterator[trace.Span]:
    """Open the fetch span and inject its context into ``headers``."""
    attributes = {"graphql.subgraph.name": service_name}
    if operation_name:
        attributes["graphql.operation.name"] = operation_name
    with tracer.start_as_current_span(
        SPAN_NAME, kind=SpanKind.CLIENT, attributes=attributes, record_exception=False
    ) as span:
        propagate.inject(headers)
        try:
            yield span
        except BaseException as exc:
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
