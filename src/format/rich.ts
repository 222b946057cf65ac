/**
 * The structured parts of a message (ATTACH, KEYBOARD, MENU): accepted as an object, a list, or a
 * JSON string; rejected as a whole when malformed or above 30 KB, with the documented codes.
 */
import { fail } from '../rest/errors.ts';

const MAX_BYTES = 30 * 1024;
type Kind = 'ATTACH' | 'KEYBOARD' | 'MENU';

/** Parse and size-check one rich part; undefined when absent, null when explicitly cleared ('N' or ''). */
export function richPart(kind: Kind, raw: unknown, clearable = false): unknown {
  if (raw === undefined) return undefined;
  if (clearable && (raw === '' || raw === 'N' || raw === false)) return null;
  // Bitrix24 checks `isset` / `!empty` first: a JSON null is absent, and on a new message an empty
  // part ('', '0', [], {}) is skipped rather than rejected (SDKs send empty optional fields).
  if (raw === null) return undefined;
  const empty = raw === '' || raw === '0' || raw === 0 || raw === false || (typeof raw === 'object' && Object.keys(raw).length === 0);
  if (!clearable && empty) return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      fail(`${kind}_ERROR`);
    }
  }
  if (!value || typeof value !== 'object') fail(`${kind}_ERROR`);
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_BYTES) fail(`${kind}_OVERSIZE`);
  const blocks = Array.isArray(value) ? value : Object.values(value as object);
  if (blocks.length === 0) fail(`${kind}_ERROR`);
  return value;
}
