/**
 * Every method is one declaration that a reader can find by its name: a method `a.b.c` is defined in
 * src/api/a.ts or in src/api/a/<file>.ts where the file's name is a prefix of `b.c` (im.chat.add in
 * src/api/im/chat.ts, im.chat.user.add in src/api/im/chat.user.ts or im/chat.ts), and it declares a
 * parameter schema (src/rest/schema.ts). `batch` is the transport's own (src/rest/batch.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import '../src/api/index.ts';
import { allMethods } from '../src/rest/registry.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const API = path.join(ROOT, 'src/api');

/** method name (lower-cased) → files under src/api whose defineMethod declares it. */
function declarations(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(/defineMethod\(\{\s*name:\s*'([^']+)'/g)) {
          const name = m[1].toLowerCase();
          out.set(name, [...(out.get(name) ?? []), path.relative(API, p)]);
        }
      }
    }
  };
  walk(API);
  return out;
}

/** Whether `file` (relative to src/api) is where the layout rule puts `method`. */
function placed(method: string, file: string): boolean {
  const [family, ...rest] = method.split('.');
  const parts = file.replace(/\.ts$/, '').split('/');
  if (parts.length === 1) return parts[0] === family;
  if (parts.length !== 2 || parts[0] !== family) return false;
  const segments = parts[1].split('.');
  return segments.length <= rest.length && segments.every((s, i) => s === rest[i]);
}

test('every method is declared once, in the file its name points to', () => {
  const found = declarations();
  const wrong: string[] = [];
  for (const def of allMethods()) {
    const name = def.name.toLowerCase();
    if (name === 'batch') continue;
    const files = found.get(name) ?? [];
    if (files.length !== 1) wrong.push(`${def.name}: declared in ${files.length ? files.join(', ') : 'no file found by name'}`);
    else if (!placed(name, files[0])) wrong.push(`${def.name}: in src/api/${files[0]}`);
  }
  assert.deepEqual(wrong, []);
});

test('every method declares a parameter schema', () => {
  const missing = allMethods().filter((m) => !m.params).map((m) => m.name);
  assert.deepEqual(missing, []);
});

test('the layout rule itself: right and wrong places', () => {
  assert.ok(placed('im.chat.add', 'im/chat.ts'));
  assert.ok(placed('im.chat.user.add', 'im/chat.user.ts'));
  assert.ok(placed('im.chat.user.add', 'im/chat.ts'));
  assert.ok(placed('server.time', 'server.ts'));
  assert.ok(placed('methods', 'methods.ts'));
  assert.ok(!placed('im.chat.sendtyping', 'im/dialog.ts'));
  assert.ok(!placed('im.message.command', 'imbot/command.ts'));
  assert.ok(!placed('im.chat.add', 'im/chat.user.ts'));
  assert.ok(!placed('im.chat.add', 'common.ts'));
});
