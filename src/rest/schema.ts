/**
 * Parameter schemas: every method declares its parameters as codecs, in the order Bitrix24 checks
 * them, and its handler receives the typed input. A codec reads one wire parameter (looked up
 * case-insensitively, spelled as a form string or as JSON), turns it into a value and fails with the
 * documented error code; the generic codecs are here, the Bitrix24-specific ones (DIALOG_ID, USERS,
 * ATTACH, the calling bot, …) in src/api/codecs/. The listing (`parley.method.list`, the developer
 * console) is built from the same declarations.
 */
import { fail, type ErrorCode } from '../errors.ts';
import * as read from './params.ts';
import type { Params } from './params.ts';
import type { CallContext } from './context.ts';

/** How a codec reads its parameter: the raw parameters, the name it is declared under, the caller. */
export type Reader<T> = (p: Params, name: string, ctx: CallContext) => T | Promise<T>;

/** One parameter as a listing shows it. */
export interface ParamInfo {
  name: string;
  /** A short type: `integer`, `string`, `Y/N`, `DIALOG_ID`, `ATTACH`, … */
  type: string;
  /** Whether leaving it out (or empty) is an error. */
  required: boolean;
  /** The error code a missing or malformed value answers, when there is one. */
  error?: ErrorCode;
}

/** A parameter reader with what a listing says about it. Immutable: every refinement is a new codec. */
export class Codec<T> {
  constructor(
    readonly type: string,
    readonly read: Reader<T>,
    readonly required = false,
    readonly error?: ErrorCode,
  ) {}

  /** Fail with `code` (and the catalogued or given description) when `ok` rejects the value. */
  check(ok: (v: T) => boolean, code: ErrorCode, description?: string): Codec<T> {
    const inner = this.read;
    return new Codec(this.type, async (p, name, ctx) => {
      const v = await inner(p, name, ctx);
      if (!ok(v)) fail(code, description);
      return v;
    }, this.required, this.error ?? code);
  }

  /** As `check`, and the parameter is listed as required (its absence is what `ok` rejects). */
  require(ok: (v: T) => boolean, code: ErrorCode, description?: string): Codec<T> {
    const c = this.check(ok, code, description);
    return new Codec(c.type, c.read, true, code);
  }

  /** Transform the value (sync or async; the function may fail with a documented code). */
  map<U>(f: (v: T, ctx: CallContext, p: Params) => U | Promise<U>, type = this.type): Codec<U> {
    const inner = this.read;
    return new Codec(type, async (p, name, ctx) => f(await inner(p, name, ctx), ctx, p), this.required, this.error);
  }

  /** Read under another wire name than the key it is declared with. */
  from(wireName: string): Codec<T> {
    const inner = this.read;
    return new Codec(this.type, (p, _name, ctx) => inner(p, wireName, ctx), this.required, this.error);
  }
}

/** A method's parameters: wire name → codec, in the order they are read and checked. */
export type Schema = Record<string, Codec<unknown>>;

/** The typed input a schema produces. */
export type InputOf<S extends Schema> = { [K in keyof S]: S[K] extends Codec<infer T> ? T : never };

/** Read every parameter of `schema` in declaration order; the first failure is the call's error. */
export async function parseInput<S extends Schema>(schema: S, p: Params, ctx: CallContext): Promise<InputOf<S>> {
  const out: Record<string, unknown> = {};
  for (const [name, codec] of Object.entries(schema)) out[name] = await codec.read(p, name, ctx);
  return out as InputOf<S>;
}

/** What a listing shows of a schema's parameters. Keys starting with `_` are derived, not wire names. */
export function describeSchema(schema: Schema): ParamInfo[] {
  return Object.entries(schema).filter(([name]) => !name.startsWith('_')).map(([name, c]) => ({
    name, type: c.type, required: c.required, ...(c.error ? { error: c.error } : {}),
  }));
}

/** The generic codecs. Absent values read as PHP reads them ('' / 0 / false / [] / {}). */
export const c = {
  /** A string ('' when absent or not a scalar; numbers are stringified). */
  string: (): Codec<string> => new Codec('string', (p, n) => read.str(p, n)),
  /** A string, trimmed. */
  trimmed: (): Codec<string> => new Codec('string', (p, n) => read.str(p, n).trim()),
  /** An integer as PHP's intval reads it (0 when absent or not a number). */
  int: (): Codec<number> => new Codec('integer', (p, n) => read.int(p, n)),
  /** A Y/N flag (`Y`, `true`, `1` are yes); absent gives `fallback`. */
  flag: (fallback = false): Codec<boolean> => new Codec('Y/N', (p, n) => read.flag(p, n, fallback)),
  /** A list from a JSON array, a PHP indexed array or a single scalar. */
  list: (): Codec<unknown[]> => new Codec('array', (p, n) => read.list(p, n)),
  /** A nested object ({} when absent or scalar). */
  object: (): Codec<Params> => new Codec('object', (p, n) => read.obj(p, n)),
  /** The raw value as parsed (undefined when absent), for parameters with their own reader. */
  raw: (type = 'any'): Codec<unknown> => new Codec(type, (p, n) => read.pick(p, n)),
  /** Whether the parameter was sent at all (even empty). */
  sent: (): Codec<boolean> => new Codec('presence', (p, n) => read.has(p, n)),
  /** A required, trimmed string: `code` when empty. */
  requiredString: (code: ErrorCode, description?: string): Codec<string> =>
    c.trimmed().require((v) => v !== '', code, description),
  /** A required positive integer id: `code` when absent, zero or negative. */
  id: (code: ErrorCode, description?: string): Codec<number> =>
    new Codec('integer', (p, n) => read.int(p, n)).require((v) => v > 0, code, description),
  /** A string upper-cased and matched against `values`; anything else gives `fallback`. */
  choice: <V extends string>(values: readonly V[], fallback: V): Codec<V> =>
    new Codec(values.join('|'), (p, n) => {
      const v = read.str(p, n).trim().toUpperCase();
      return (values as readonly string[]).includes(v) ? (v as V) : fallback;
    }),
  /** Absent → undefined, otherwise what `codec` reads. */
  optional: <T>(codec: Codec<T>): Codec<T | undefined> =>
    new Codec(codec.type, (p, n, ctx) => (read.has(p, n) ? codec.read(p, n, ctx) : undefined), false, codec.error),
};
