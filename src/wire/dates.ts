/**
 * Dates on the wire: ISO-8601 with a numeric offset, as PHP's date('c') prints them — in the
 * envelope's `time` block, in method answers (api/) and in stored wire objects (domain/files.ts).
 */

/** ISO-8601 with offset, as PHP's date('c') prints it: seconds precision; the portal runs in UTC. */
export function isoDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
