import { Controller, Get, Header } from '@nestjs/common';
import { PublicRoute } from './public-route';
import { Registry, collectDefaultMetrics, Counter, Histogram, Gauge } from 'prom-client';

/** One registry per process, with the default Node.js metrics (RSS, event loop lag, GC). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return new Counter({ name, help, labelNames, registers: [metricsRegistry] });
}

export function histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram<string> {
  return new Histogram({ name, help, buckets, labelNames, registers: [metricsRegistry] });
}

/** `collect`, when given, runs at each scrape and sets the gauge (a count read from the database, say). */
export function gauge(name: string, help: string, labelNames: string[] = [], collect?: (gauge: Gauge<string>) => Promise<void>): Gauge<string> {
  return new Gauge({ name, help, labelNames, registers: [metricsRegistry], ...(collect ? { collect(this: Gauge<string>) { return collect(this); } } : {}) });
}

@Controller()
@PublicRoute()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
