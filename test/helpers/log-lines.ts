/**
 * A portal's log read by a test: a destination for StartOptions.logTo that keeps every JSON line
 * the portal writes, parsed.
 */
import type { LogDestination } from '../../src/log.ts';

/** One log line as pino wrote it: `level` (40 warn, 50 error), `msg`, and whatever fields it carried. */
export interface LogLine { level: number; msg?: string; component?: string; err?: { message?: string }; [field: string]: unknown }

/** A destination and the lines written to it so far. */
export function logLines(): { destination: LogDestination; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = { write: (text: string) => void lines.push(JSON.parse(text) as LogLine) };
  return { destination, lines };
}
