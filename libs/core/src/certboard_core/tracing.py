"""OpenTelemetry traces across the web console, the gateway and the services, off by default.

With ``CERTBOARD_TRACING_EXPORTER=none`` (the default) nothing is installed: no middleware, no
wrapped transport, not even the SDK imported. Otherwise each app gets its own tracer provider:
a server span per request (named by the route template) and a client span per outgoing httpx
call, which carries the W3C ``traceparent`` header so the next process's server span joins the
same trace. Tests pass their own provider (with an in-memory exporter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from certboard_core.settings import ProcessSettings

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from structlog.types import EventDict

# Probes and scrapes every few seconds would drown the traces that matter.
UNTRACED = "healthz,readyz,metrics"


def _exporter(kind: str) -> SpanExporter:
    if kind == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


def tracer_provider(settings: ProcessSettings) -> TracerProvider | None:
    """The provider the settings ask for, exporting in batches; None when tracing is off."""
    if settings.tracing_exporter == "none":
        return None
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    return provider_with(
        settings.service_name,
        BatchSpanProcessor(_exporter(settings.tracing_exporter)),
        sample_ratio=settings.tracing_sample_ratio,
    )


def provider_with(
    service: str, processor: SpanProcessor, *, sample_ratio: float = 1.0
) -> TracerProvider:
    """A provider naming ``service`` that hands finished spans to ``processor``; a caller's
    sampling decision (in ``traceparent``) is followed, new traces kept at ``sample_ratio``."""
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: service}),
        sampler=ParentBased(TraceIdRatioBased(sample_ratio)),
    )
    provider.add_span_processor(processor)
    return provider


def trace_app(app: FastAPI, provider: TracerProvider | None) -> None:
    """A server span for every request the app answers (nothing at all without a provider)."""
    app.state.tracer_provider = provider
    if provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.metrics import NoOpMeterProvider

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        # Our request histogram measures requests; OpenTelemetry's would repeat it.
        meter_provider=NoOpMeterProvider(),
        excluded_urls=UNTRACED,
        exclude_spans=["receive", "send"],
    )


def trace_client(client: httpx.AsyncClient, provider: TracerProvider | None) -> None:
    """A client span for each call ``client`` makes, its context sent on in ``traceparent``."""
    if provider is None:
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.metrics import NoOpMeterProvider

    HTTPXClientInstrumentor.instrument_client(
        client, tracer_provider=provider, meter_provider=NoOpMeterProvider()
    )


def log_trace_id(_logger: object, _name: str, event: EventDict) -> EventDict:
    """Log processor (with tracing on): the current trace's id beside the request id, to go
    from a line to its trace."""
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
    return event


async def shutdown(provider: TracerProvider | None) -> None:
    """Send the spans still buffered before the process ends."""
    if provider is not None:
        provider.shutdown()
