/**
 * Run one method for an authenticated caller: look it up, check its scope, call the handler and
 * split a list result into the envelope's `result`, `total` and `next`.
 */
import { findMethod, Page, scopeAdmits, type CallContext } from './registry.ts';
import { restError, RestError } from '../errors.ts';
import type { Params } from './params.ts';
import { parseInput } from './schema.ts';
import type { Operating } from './rate-limits.ts';

/** What a method produced, before the envelope is built around it. */
export interface CallOutcome {
  result: unknown;
  total?: number;
  next?: number;
  processingMs: number;
  /** The method's operating time for this caller, when the cloud limits apply. */
  operating?: Operating;
}

/** Call `method` as `ctx`; throws RestError for every failure a caller may see. */
export async function callMethod(ctx: CallContext, method: string, params: Params): Promise<CallOutcome> {
  const def = findMethod(method);
  if (!def) throw restError('ERROR_METHOD_NOT_FOUND');
  if (!scopeAdmits(def, ctx.scopes)) throw restError('insufficient_scope');
  // A batch's time is its sub-calls', each counted under its own method (src/rest/rate-limits.ts),
  // at the portal's clock: baskets expire like tokens do, so a test moves time instead of waiting.
  const limits = def.name === 'batch' ? undefined : ctx.limits;
  await limits?.checkOperating(def.name, ctx, ctx.portal.clock.now());
  const t0 = performance.now();
  let value: unknown;
  try {
    value = await def.handler(ctx, await parseInput(def.params, params, ctx));
  } catch (err) {
    if (err instanceof RestError) throw err;
    // An unexpected failure is the server's fault: log it and answer 500 without internals.
    (ctx.log ?? ctx.portal.log).error({ err, method }, 'method failed');
    throw restError('INTERNAL_SERVER_ERROR');
  }
  const processingMs = performance.now() - t0;
  const operating = await limits?.spend(def.name, ctx, ctx.portal.clock.now(), processingMs);
  if (value instanceof Page) return { result: value.items, total: value.total, next: value.next, processingMs, operating };
  return { result: value, processingMs, operating };
}
