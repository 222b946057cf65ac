/**
 * /metrics on a port of its own (`--metrics-port`, off by default), never on the portal's public
 * port: what it shows (method names, app ids, queue depths) is for the operator's scraper, and a
 * separate listener — on loopback unless `--metrics-host` says otherwise — keeps it off the
 * internet without a credential for Prometheus to hold.
 */
import http from 'node:http';
import type { Metrics } from '../metrics.ts';
import type { Logger } from '../log.ts';

/** A running metrics listener; close() resolves once the scrapes being collected have finished. */
export interface MetricsServer { port: number; close(): Promise<void> }

/** Serve `metrics` at GET /metrics on host:port (0: any free port). */
export async function startMetricsServer(metrics: Metrics, host: string, port: number, log: Logger): Promise<MetricsServer> {
  // Scrapes being collected: their queries (the outbox depth) must end before the store closes.
  const rendering = new Set<Promise<unknown>>();
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const done = metrics.render().then(
      ({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
      (err: Error) => {
        log.error({ err, component: 'metrics' }, 'collecting metrics failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
      },
    );
    rendering.add(done);
    void done.finally(() => rendering.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await Promise.allSettled([...rendering]);
    },
  };
}
