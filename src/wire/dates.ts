/**
 * Dates on the wire: written as ISO-8601 with a numeric offset, as PHP's date('c') prints them — in
 * the envelope's `time` block, in method answers (api/) and in stored wire objects (domain/files.ts)
 * — and read in the formats the task REST service takes (task.item.*, and `parley task add --deadline`).
 */

/** ISO-8601 with offset, as PHP's date('c') prints it: seconds precision; the portal runs in UTC. */
export function isoDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * A date as the REST service reads it (ISO 8601 with or without time and offset, `YYYY-MM-DD HH:MM:SS`,
 * or the site format `DD.MM.YYYY [HH:MI[:SS]]`); without an offset the portal's time zone (UTC).
 * Returns Unix ms, or null for an empty or unreadable value — which the service stores as "no date".
 */
export function parseTaskDate(raw: unknown): number | null {
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const s = String(raw).trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  let parts: string[];
  let zone = '';
  if (m) {
    parts = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'];
    zone = m[7] ?? '';
  } else if ((m = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s))) {
    parts = [m[3], m[2], m[1], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'];
  } else {
    return null;
  }
  const [y, mo, d, h, mi, se] = parts.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  let ms = Date.UTC(y, mo - 1, d, h, mi, se);
  if (new Date(ms).getUTCDate() !== d) return null; // 2024-02-31 and the like
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  return ms;
}
