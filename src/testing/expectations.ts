/**
 * Whether a bot's message is what a scenario expected: its text (exact, contained or matched), its
 * keyboard and menu (button texts in order, or buttons given as objects whose keys must match),
 * and its ATTACH (every key given must match; arrays element by element). A mismatch comes back
 * as a readable diff of what was expected against what came.
 */
import type { Expectation } from './scenario-file.ts';
import { lineDiff, shown } from './text-diff.ts';

/** A message as im.dialog.messages.get answers it. */
export interface SeenMessage {
  id: number;
  chat_id: number;
  author_id: number;
  text: string;
  system?: boolean;
  params: Record<string, unknown> | unknown[];
}

/** A failed expectation: one line saying what differs, and the diff. */
export interface Mismatch { what: string; diff: string }

type Button = Record<string, unknown>;

/** The buttons of a KEYBOARD or MENU param (a list, or an object with BUTTONS), without line breaks. */
export function buttonsOf(params: SeenMessage['params'], key: 'KEYBOARD' | 'MENU'): Button[] {
  const raw = Array.isArray(params) ? undefined : params[key];
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as Button).BUTTONS) ? (raw as { BUTTONS: unknown[] }).BUTTONS : [];
  return list.filter((b): b is Button => !!b && typeof b === 'object' && (b as Button).TYPE !== 'NEWLINE');
}

/** The first place where `actual` lacks what `expected` gives, or undefined when it has all of it. */
function missing(expected: unknown, actual: unknown, at: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected a list`;
    if (actual.length !== expected.length) return `${at}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = missing(expected[i], actual[i], `${at}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${at}: expected an object`;
    for (const [k, v] of Object.entries(expected)) {
      const m = missing(v, (actual as Record<string, unknown>)[k], `${at}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  // Scalars compare as text: the wire gives 'Y', 1 or "1" where a scenario may write either.
  if (actual === undefined || actual === null || String(actual) !== String(expected)) return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual ?? null)}`;
  return undefined;
}

function buttonsMismatch(expected: (string | Button)[], actual: Button[], key: 'keyboard' | 'menu'): Mismatch | undefined {
  const asTexts = expected.every((e) => typeof e === 'string');
  const got = asTexts ? actual.map((b) => String(b.TEXT ?? '')) : actual;
  const off = missing(expected, got, key);
  return off ? { what: off, diff: lineDiff(shown(expected), shown(got)) } : undefined;
}

/**
 * The message's ATTACH in the form the scenario wrote it: the wire gives a list of attachments
 * ({ID, COLOR, BLOCKS}); a scenario that lists blocks only (as a bot sends `ATTACH: [{MESSAGE: …}]`)
 * is compared with all the blocks, in order.
 */
function attachAsWritten(expected: unknown, actual: unknown): unknown {
  const blocksOnly = Array.isArray(expected) && expected.every((x) => x && typeof x === 'object' && !('BLOCKS' in x));
  if (!blocksOnly || !Array.isArray(actual)) return actual;
  return actual.flatMap((a) => (a && typeof a === 'object' && Array.isArray((a as { BLOCKS?: unknown }).BLOCKS) ? (a as { BLOCKS: unknown[] }).BLOCKS : [a]));
}

/** Why `m` is not the expected message, or undefined when it is. */
export function mismatch(expected: Expectation, m: SeenMessage): Mismatch | undefined {
  const e = typeof expected === 'string' ? { text: expected } : expected;
  if (e.text !== undefined && m.text !== e.text) return { what: 'the text differs', diff: lineDiff(e.text, m.text) };
  if (e.contains !== undefined && !m.text.includes(e.contains)) return { what: `the text does not contain "${e.contains}"`, diff: lineDiff(e.contains, m.text) };
  if (e.match !== undefined && !new RegExp(e.match, 'u').test(m.text)) return { what: `the text does not match /${e.match}/`, diff: lineDiff(`/${e.match}/`, m.text) };
  if (e.keyboard !== undefined) {
    const off = buttonsMismatch(e.keyboard, buttonsOf(m.params, 'KEYBOARD'), 'keyboard');
    if (off) return off;
  }
  if (e.menu !== undefined) {
    const off = buttonsMismatch(e.menu, buttonsOf(m.params, 'MENU'), 'menu');
    if (off) return off;
  }
  if (e.attach !== undefined) {
    const attach = attachAsWritten(e.attach, Array.isArray(m.params) ? undefined : m.params.ATTACH);
    const off = missing(e.attach, attach, 'attach');
    if (off) return { what: off, diff: lineDiff(shown(e.attach), shown(attach ?? null)) };
  }
  return undefined;
}

/** What an expectation asks for, in one line (a step's title in reports). */
export function describeExpectation(expected: Expectation): string {
  if (typeof expected === 'string') return `"${expected}"`;
  const parts: string[] = [];
  if (expected.text !== undefined) parts.push(`"${expected.text}"`);
  if (expected.contains !== undefined) parts.push(`containing "${expected.contains}"`);
  if (expected.match !== undefined) parts.push(`matching /${expected.match}/`);
  if (expected.keyboard !== undefined) parts.push('with a keyboard');
  if (expected.menu !== undefined) parts.push('with a menu');
  if (expected.attach !== undefined) parts.push('with an attachment');
  return parts.join(', ') || 'any message';
}
