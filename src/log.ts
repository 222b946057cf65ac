/**
 * The portal's log: JSON lines (pino) on stderr, one logger per portal (Portal.log). Within a REST
 * call the logger is the request's child and every line carries its `reqId`, the id the answer
 * sends back in `x-request-id` (src/http/server.ts), so a client's report finds the server's lines.
 * Outside requests (the dispatcher, the hub, retention) lines carry their component instead.
 * `--log` logs every request at `info`; otherwise only warnings and errors are written.
 */
import pino from 'pino';

/** A logger: pino's, so Fastify logs through the same one. */
export type Logger = pino.Logger;

/** What the HTTP layer adds: its serializers and the hook that masks secrets in messages. */
export interface LoggerOptions {
  verbose: boolean;
  serializers?: pino.LoggerOptions['serializers'];
  hooks?: pino.LoggerOptions['hooks'];
}

/** A portal's logger writing to stderr. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({ level: options.verbose ? 'info' : 'warn', serializers: options.serializers, hooks: options.hooks }, pino.destination({ fd: 2, sync: false }));
}

/** A logger that writes nothing (a CLI command's portal, whose errors reach the terminal as they are). */
export const silentLogger: Logger = pino({ level: 'silent' });
