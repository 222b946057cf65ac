/**
 * What the Chatbots 2.0 tests call with: JSON calls through a webhook URL or the REST root with an
 * `auth` token, their success or documented refusal, and the token of a freshly installed app
 * (scopes imbot and im) for the administrator — the OAuth side of imbot.v2's two authorizations.
 */
import assert from 'node:assert/strict';
import { restJson } from './portal.ts';
import type { TestPortal } from './suite.ts';
import { createApp } from '../../src/domain/apps.ts';
import { mintToken } from '../../src/auth/tokens.ts';

/** A call: `base` a webhook URL, or the REST root with `auth`. */
export const call = (base: string, method: string, params: Record<string, unknown>, auth?: string) =>
  restJson(base, method, auth ? { ...params, auth } : params);

/** A call that must succeed: its `result`. */
export async function ok(base: string, method: string, params: Record<string, unknown>, auth?: string) {
  const r = await call(base, method, params, auth);
  assert.equal(r.status, 200, `${method}: ${JSON.stringify(r.body)}`);
  return r.body.result;
}

/** A call that must be refused with `status` and `code`, and a description. */
export async function refused(status: number, code: string, base: string, method: string, params: Record<string, unknown>, auth?: string) {
  const r = await call(base, method, params, auth);
  assert.deepEqual([r.status, r.body.error], [status, code], `${method} ${JSON.stringify(params)}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body.error_description, 'string');
}

/** The administrator's access token of a new, installed app `name` with scopes imbot and im. */
export async function installedAppToken(portal: TestPortal, name: string): Promise<string> {
  const db = portal.portal.db;
  const a = await createApp(db, { name, handlerUrl: 'http://127.0.0.1:9/app', scopes: ['imbot', 'im'], installUserId: 1 });
  await db.updateTable('apps').set({ installed: 1 }).where('id', '=', a.id).execute();
  return (await mintToken(portal.portal, db, { ...a, installed: 1 }, 1)).access_token;
}
