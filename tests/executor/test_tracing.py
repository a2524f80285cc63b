"""Fetch-span spec: a tracer in, one CLIENT span per fetch and its trace context in the headers out."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from gateway.executor.tracing import SPAN_NAME, fetch_span


def tracer_and_exporter():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider.get_tracer("test"), exporter


def test_a_fetch_span_names_the_subgraph_and_its_context_goes_into_the_headers():
    tracer, exporter = tracer_and_exporter()
    headers: dict[str, str] = {}

    with fetch_span(tracer, "population", "DibaoCheck__population__0", headers):
        pass

    (span,) = exporter.get_finished_spans()
    assert span.name == SPAN_NAME
    assert span.kind is SpanKind.CLIENT
    assert span.attributes == {
        "graphql.subgraph.name": "population",
        "graphql.operation.name": "DibaoCheck__population__0",
    }
    assert format(span.context.trace_id, "032x") in headers["traceparent"]


def test_a_failed_fetch_marks_its_span_as_an_error():
    tracer, exporter = tracer_and_exporter()

    with pytest.raises(TimeoutError), fetch_span(tracer, "real_estate", None, {}):
        raise TimeoutError

    (span,) = exporter.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert "graphql.operation.name" not in span.attributes
