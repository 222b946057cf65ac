/**
 * The table test of issue 4: every im.* method's answer carries every key of its documented example
 * response, at every depth (objects by key, lists by their first element), and a value is an object,
 * a list or a scalar where the example has one. Rows live in test/documented-shapes/*.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testPortal } from './helpers/portal.ts';
import { webhookFor } from './helpers/suite.ts';
import { restJson } from './helpers/portal.ts';
import type { ShapeCase, ShapeEnv } from './documented-shapes/types.ts';

const dir = path.join(import.meta.dirname, 'documented-shapes');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'types.ts').sort();

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : 'scalar');

/** Where the answer lacks a documented key, or has a scalar where the docs have a structure. */
export function shapeGaps(example: unknown, actual: unknown, skip: Record<string, string> = {}, at = ''): string[] {
  const skipped = (p: string) => Object.keys(skip).some((s) => new RegExp(`^${s.split('.').map((x) => (x === '*' ? '[^.]+' : x.replace(/[$^()[\]\\|+?{}]/g, '\\$&'))).join('\\.')}$`).test(p));
  if (at && skipped(at)) return [];
  const k = kind(example);
  // A documented empty list or object says nothing about what is inside; `false`/null stand for "no value" in many docs.
  if (k === 'scalar' || k === 'null') return [];
  const a = kind(actual);
  // Bitrix24 serialises an empty PHP array as [] whether it is a list or a map.
  if (k === 'object' && a === 'list' && (actual as unknown[]).length === 0) return [];
  if (k === 'list' && a === 'object' && Object.keys(actual as object).length === 0) return [];
  if (k !== a) return [`${at || '(result)'}: documented ${k}, answered ${a} ${JSON.stringify(actual)?.slice(0, 80)}`];
  const gaps: string[] = [];
  if (k === 'list') {
    const ex = example as unknown[];
    const ac = actual as unknown[];
    if (ex.length && ac.length) gaps.push(...shapeGaps(ex[0], ac[0], skip, at ? `${at}.0` : '0'));
    return gaps;
  }
  const ex = example as Record<string, unknown>;
  const ac = actual as Record<string, unknown>;
  for (const key of Object.keys(ex)) {
    const p = at ? `${at}.${key}` : key;
    if (skipped(p)) continue;
    if (!(key in ac)) gaps.push(`${p}: missing`);
    else gaps.push(...shapeGaps(ex[key], ac[key], skip, p));
  }
  return gaps;
}

describe('every im.* answer has the keys of its documented example', () => {
  let portal: Awaited<ReturnType<typeof testPortal>>;
  const hooks = new Map<number, string>();
  let env: ShapeEnv;

  before(async () => {
    portal = await testPortal();
    for (const id of [1, 2, 3, 4, 5]) hooks.set(id, await webhookFor(portal, id, 'im,imbot,user,task,disk'));
    env = {
      url: portal.url,
      hook: (as = 1) => hooks.get(as)!,
      async call(method, params = {}, as = 1) {
        const res = await restJson(hooks.get(as)!, method, params);
        if (res.status !== 200 || res.body.error) throw new Error(`${method} as ${as}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body.result;
      },
    };
  });
  after(() => portal?.close());

  for (const file of files) {
    test(file.replace(/\.ts$/, ''), async (t) => {
      const rows = ((await import(path.join(dir, file))) as { default: ShapeCase[] }).default;
      assert.ok(rows.length > 0, `${file} has rows`);
      for (const row of rows) {
        await t.test(row.method, async () => {
          const params = row.params ? await row.params(env) : {};
          const result = await env.call(row.method, params, row.as ?? 1);
          assert.deepEqual(shapeGaps(row.example, result, row.skip), [], `${row.method} answered ${JSON.stringify(result).slice(0, 600)}`);
        });
      }
    });
  }
});
