import { Context, context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { NextFunction, Request, Response } from 'express';

export type TracesExporter = 'none' | 'otlp' | 'console';

export interface TracingSettings {
  exporter: TracesExporter;
  otlpEndpoint: string;
  /** How long finished spans wait to be sent in a batch. */
  batchDelayMs: number;
}

let provider: TracerProvider | undefined;
let contextReady = false;

/**
 * OpenTelemetry for one service process. Context and W3C trace-context propagation are always
 * on, so a trace passes through a service whose exporter is off; spans are recorded and sent
 * only with an exporter (`OTEL_TRACES_EXPORTER=otlp|console`, off by default).
 */
export function startTracing(service: string, settings: TracingSettings): void {
  if (!contextReady) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextReady = true;
  }
  if (settings.exporter === 'none' || provider) return;
  const exporter =
    settings.exporter === 'console'
      ? new ConsoleSpanExporter()
      : new OTLPTraceExporter({ url: `${settings.otlpEndpoint.replace(/\/$/, '')}/v1/traces` });
  const processors: SpanProcessor[] = [new BatchSpanProcessor({ exporter, scheduledDelayMillis: settings.batchDelayMs })];
  provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: processors });
  trace.setGlobalTracerProvider(provider);
}

/** Sends what is buffered (on shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('hotline');

/** A server span per HTTP request, continuing the caller's trace (W3C `traceparent`) if any. */
export function httpTracing(req: Request, res: Response, next: NextFunction): void {
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer().startSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
  res.once('finish', () => {
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : undefined;
    if (route) span.updateName(`${req.method} ${route}`);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (route) span.setAttribute('http.route', route);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}

/** The current trace context as headers (`traceparent`, `tracestate`), for a message or a request. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(from, headers);
  return headers;
}

/** Runs `work` in a consumer span that continues the trace the message's headers carry. */
export async function withConsumerSpan<T>(
  name: string,
  headers: Record<string, string>,
  attributes: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  const span: Span = tracer().startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    span.end();
  }
}
