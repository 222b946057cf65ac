/**
 * What portal nodes tell each other over the Redis channel, and the one reader of it. A message is
 * a hint, never state: a `wake` says "rows were committed to the push log or the outbox" (the
 * receiver reads them from the database, which stays the source of truth), a `signal` carries an
 * ephemeral realtime push (typing: ids only, no text, no credential), a `revoke` says "a credential
 * may have been taken away" (the receiver re-checks its open sockets against the database). Nothing
 * secret is ever published. Whatever arrives is parsed as hostile: a malformed message is dropped.
 */

/** An ephemeral push as the realtime hub sends it: `type` plus ids (as read back: short primitives only). */
export interface SignalPush { type: string; [key: string]: unknown }

/** One message on the channel; `from` is the sending node, so a node skips its own. */
export type BusMessage =
  | { kind: 'wake'; from: string }
  | { kind: 'revoke'; from: string }
  | { kind: 'signal'; from: string; users: number[]; push: SignalPush };

/** The channel of a portal's nodes: the configured one, or one per database (its member id). */
export function channelOf(configured: string | undefined, memberId: string): string {
  return configured ?? `parley:${memberId}`;
}

/** A message longer than this is not one of ours (a chat of 100 000 members stays well under). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_USERS = 100_000;
const MAX_PUSH_KEYS = 16;
const MAX_STRING = 200;

/** The wire text of a message. */
export function encodeMessage(message: BusMessage): string {
  return JSON.stringify(message);
}

/** The message in `text`, or undefined when it is not a well-formed one. */
export function decodeMessage(text: string): BusMessage | undefined {
  if (text.length > MAX_MESSAGE_BYTES) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || typeof raw.from !== 'string' || raw.from.length > MAX_STRING) return undefined;
  const from = raw.from;
  if (raw.kind === 'wake' || raw.kind === 'revoke') return { kind: raw.kind, from };
  if (raw.kind !== 'signal') return undefined;
  const users = userIds(raw.users);
  const push = signalPush(raw.push);
  return users && push ? { kind: 'signal', from, users, push } : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function userIds(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_USERS) return undefined;
  return v.every((id) => Number.isSafeInteger(id) && id > 0) ? (v as number[]) : undefined;
}

// A flat object of short primitives with a string `type`: what src/domain sends as a signal. A copy
// with a null prototype, so a `__proto__` key in the text cannot reach Object.prototype.
function signalPush(v: unknown): SignalPush | undefined {
  if (!isObject(v) || typeof v.type !== 'string' || !v.type || v.type.length > MAX_STRING) return undefined;
  const entries = Object.entries(v);
  if (entries.length > MAX_PUSH_KEYS) return undefined;
  const push = Object.create(null) as SignalPush;
  for (const [key, value] of entries) {
    const ok = typeof value === 'number' ? Number.isFinite(value)
      : typeof value === 'string' ? value.length <= MAX_STRING
        : typeof value === 'boolean';
    if (!ok || key === '__proto__') return undefined;
    push[key] = value;
  }
  return push;
}
