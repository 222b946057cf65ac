/**
 * The portal's metrics in Prometheus form (prom-client): REST calls and their latency per method,
 * errors by code, event deliveries per app (outcome, latency), realtime pushes (fan-out time) and
 * open sockets, the outbox's depth and its oldest pending event. One registry per portal (a test
 * runs several portals in one process); served by src/http/metrics-server.ts on a port of its own.
 * Labels are bounded: methods are registered names (unknown ones count as "unknown"), apps are ids.
 */
import client from 'prom-client';

/** Reads the portal fills in at scrape time (they cost a query or a count, not worth keeping live). */
export interface MetricsSources {
  outbox(): Promise<{ pending: number; dead: number; oldestPendingAt: number | null }>;
  sockets(): number;
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every metric of one portal. */
export class Metrics {
  readonly registry = new client.Registry();
  readonly restCalls = new client.Counter({ name: 'parley_rest_calls_total', help: 'REST calls answered, by method and HTTP status', labelNames: ['method', 'status'], registers: [this.registry] });
  readonly restSeconds = new client.Histogram({ name: 'parley_rest_call_seconds', help: 'Time from a REST request to its answer, by method', labelNames: ['method'], buckets: SECONDS, registers: [this.registry] });
  readonly restErrors = new client.Counter({ name: 'parley_rest_errors_total', help: 'REST errors answered, by error code', labelNames: ['code'], registers: [this.registry] });
  readonly deliveries = new client.Counter({ name: 'parley_event_deliveries_total', help: 'Event POSTs to handlers, by app and outcome (delivered, retry, dead)', labelNames: ['app', 'outcome'], registers: [this.registry] });
  readonly deliverySeconds = new client.Histogram({ name: 'parley_event_delivery_seconds', help: 'Time of an event POST to its handler, by app', labelNames: ['app'], buckets: SECONDS, registers: [this.registry] });
  readonly pushSeconds = new client.Histogram({ name: 'parley_push_fanout_seconds', help: 'Time from a realtime push being stored to its being written to the sockets', buckets: SECONDS, registers: [this.registry] });

  constructor(private sources?: MetricsSources) {
    const self = this;
    new client.Gauge({
      name: 'parley_outbox_events', help: 'Events in the outbox not delivered yet, by status (pending, dead)', labelNames: ['status'], registers: [this.registry],
      async collect() {
        const o = await self.outbox();
        this.set({ status: 'pending' }, o?.pending ?? 0);
        this.set({ status: 'dead' }, o?.dead ?? 0);
      },
    });
    new client.Gauge({
      name: 'parley_outbox_oldest_pending_seconds', help: 'Age of the oldest pending event (0 when none)', registers: [this.registry],
      async collect() {
        const o = await self.outbox();
        this.set(o?.oldestPendingAt ? Math.max(0, (Date.now() - o.oldestPendingAt) / 1000) : 0);
      },
    });
    new client.Gauge({
      name: 'parley_realtime_sockets', help: 'Open realtime sockets on this node', registers: [this.registry],
      collect() {
        this.set(self.sources?.sockets() ?? 0);
      },
    });
  }

  // Both outbox gauges are collected in one scrape (concurrently): they share one query.
  private outboxRead: ReturnType<MetricsSources['outbox']> | undefined;

  private outbox(): ReturnType<MetricsSources['outbox']> | undefined {
    if (!this.sources) return undefined;
    this.outboxRead ??= this.sources.outbox().finally(() => (this.outboxRead = undefined));
    return this.outboxRead;
  }

  /** Where the scrape-time gauges read from (set once the portal's parts exist). */
  setSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
