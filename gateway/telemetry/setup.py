"""OpenTelemetry set-up: off by default; console or OTLP exporter by configuration."""

from __future__ import annotations

import logging

from opentelemetry import trace

from gateway.config import GatewayConfig

__all__ = ["configure_telemetry"]

log = logging.getLogger("govgraph.telemetry")
_configured = False


def configure_telemetry(config: GatewayConfig, *, service_name: str | None = None) -> None:
    """Install a tracer provider once per process, if an exporter is configured.

    With no provider installed the API's no-op tracer is used, so spans on the hot path
    cost next to nothing when telemetry is off. Subgraph processes call this too, with
    their own ``service_name``, so one trace spans the gateway and the departments.
    """
    global _configured
    if _configured or config.otel_exporter == "none":
        return
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SpanExporter,
    )

    exporter: SpanExporter
    if config.otel_exporter == "console":
        exporter = ConsoleSpanExporter()
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = (
            OTLPSpanExporter(endpoint=config.otel_endpoint)
            if config.otel_endpoint
            else OTLPSpanExporter()
        )
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name or config.service_name})
    )
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _configured = True
    log.info("telemetry: exporting spans with the %s exporter", config.otel_exporter)
