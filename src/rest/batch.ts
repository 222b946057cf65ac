/**
 * `batch`: up to 50 sub-calls as `method?query`, run in order with the caller's auth, with
 * `$result[key][field]` references to earlier answers and an optional halt on the first error.
 */
import { defineMethod, type CallContext } from './registry.ts';
import { callMethod } from './call.ts';
import { RestError, restError } from '../errors.ts';
import { isSafeKey, normalize, parseQuery, phpArray, type PhpValue } from '../wire/php-query.ts';
import { pick, type Params } from './params.ts';
import { c } from './schema.ts';
import { timeBlock } from './envelope.ts';

const MAX_COMMANDS = 50;

type Results = Record<'result' | 'next' | 'total' | 'time' | 'error', Record<string, unknown>>;

// Follow `[a][b]` segments into earlier results; stops at the deepest existing level, as core does.
function lookup(root: Record<string, unknown>, path: string): unknown {
  let node: unknown = root;
  for (const m of path.matchAll(/\[([^\]]*)\]/g)) {
    if (node === null || typeof node !== 'object') break;
    const next = (node as Record<string, unknown>)[m[1]];
    if (next === undefined) break;
    node = next;
  }
  return node;
}

const REF = /\$(result|next|total|time|error)((?:\[[^\]]*\])+)/gi;

/** Replace references in one value: a whole-value reference keeps its type, embedded ones are stringified. */
function substitute(value: unknown, results: Results): unknown {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${REF.source}$`, 'i').exec(value);
    if (whole) return lookup(results[whole[1].toLowerCase() as keyof Results], whole[2]);
    return value.replace(REF, (_, kind: string, path: string) => {
      const v = lookup(results[kind.toLowerCase() as keyof Results], path);
      return v !== null && typeof v === 'object' ? '' : String(v ?? '');
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, results));
  if (value && typeof value === 'object') {
    // A key may be a reference too; what it resolves to is checked like any parsed key.
    const out = phpArray();
    for (const [k, v] of Object.entries(value)) {
      const key = String(substitute(k, results));
      if (isSafeKey(key)) out[key] = substitute(v, results) as PhpValue;
    }
    return out;
  }
  return value;
}

// PHP serialises an empty array as [] and a 0..n-1 keyed map as a list.
function phpMap(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  if (keys.length === 0) return [];
  return normalize(map);
}

/** `cmd`: the commands by key (a list is keyed 0, 1, …); anything else is none. */
function commands(raw: unknown): Record<string, unknown> {
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((v, i) => [String(i), v]));
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
}

defineMethod({
  name: 'batch',
  scope: null,
  // Each command is checked on its own, as if called alone.
  access: 'none',
  params: {
    cmd: c.raw('object').map(commands, 'object'),
    // Only 1, true and Y halt (core's own reading of `halt`, narrower than a Y/N flag).
    halt: c.raw('Y/N').map((v) => ['1', 'true', 'y'].includes(String(v ?? '0').toLowerCase()), 'Y/N'),
  },
  async handler(ctx: CallContext, { cmd, halt }) {
    const results: Results = { result: {}, next: {}, total: {}, time: {}, error: {} };
    let n = 0;
    for (const [key, spec] of Object.entries(cmd)) {
      n++;
      if (n > MAX_COMMANDS) {
        results.error[key] = restError('ERROR_BATCH_LENGTH_EXCEEDED').body();
        continue;
      }
      const text = String(spec ?? '');
      const q = text.indexOf('?');
      const method = (q < 0 ? text : text.slice(0, q)).trim().replace(/\.json$/i, '');
      const t0 = Date.now();
      try {
        // Each command's query meets PHP's input limits on its own; a breach fails that command only.
        const subParams = normalize(parseQuery(q < 0 ? '' : text.slice(q + 1))) as Params;
        const resolved = substitute(Array.isArray(subParams) ? Object.assign(phpArray(), subParams) : subParams, results) as Params;
        if (method.toLowerCase() === 'batch') throw restError('ERROR_BATCH_METHOD_NOT_ALLOWED');
        const start = Number(pick(resolved, 'start') ?? 0) || 0;
        delete resolved.start;
        const out = await callMethod({ ...ctx, start }, method, resolved);
        results.result[key] = out.result;
        if (out.total !== undefined) results.total[key] = out.total;
        if (out.next !== undefined) results.next[key] = out.next;
        results.time[key] = timeBlock(t0, out.processingMs, Date.now(), out.operating);
      } catch (err) {
        if (!(err instanceof RestError)) throw err;
        results.error[key] = err.body();
        results.time[key] = timeBlock(t0, Date.now() - t0);
        if (halt) break;
      }
    }
    return {
      result: phpMap(results.result),
      result_error: phpMap(results.error),
      result_total: phpMap(results.total),
      result_next: phpMap(results.next),
      result_time: phpMap(results.time),
    };
  },
});
