"""A span per subgraph fetch, with W3C trace context in the subgraph request headers.

With no tracer provider configured (the OpenTelemetry API's proxy or no-op provider) no
span is made (``fetch_tracer`` is None) and ``inject_caller_context`` still propagates
the caller's trace context, if any. That keeps the hot path free of span objects and
context managers unless tracing is on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import (
    SpanKind,
    Status,
    StatusCode,
)

from gateway.telemetry.spans import active_tracer

__all__ = ["SPAN_NAME", "fetch_span", "fetch_tracer", "inject_caller_context"]

SPAN_NAME = "subgraph_fetch"


def fetch_tracer() -> trace.Tracer | None:
    """The tracer for fetch spans, or None while no tracer provider is configured."""
    # One rule for the whole gateway: a provider installed at any time is seen at once.
    return active_tracer()


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
