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

/** Where log lines go instead of stderr: one JSON line per write (a test reading them). */
export type LogDestination = pino.DestinationStream;

/** What the HTTP layer adds: its serializers and the hook that masks secrets in messages. */
export interface LoggerOptions {
  verbose: boolean;
  serializers?: pino.LoggerOptions['serializers'];
  hooks?: pino.LoggerOptions['hooks'];
  /** Where the lines go; stderr by default. */
  destination?: LogDestination;
}

/** A portal's logger writing to stderr (or to `destination`). */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: false });
  return pino({ level: options.verbose ? 'info' : 'warn', serializers: options.serializers, hooks: options.hooks }, destination);
}

/** A logger that writes nothing (a CLI command's portal, whose errors reach the terminal as they are). */
export const silentLogger: Logger = pino({ level: 'silent' });
