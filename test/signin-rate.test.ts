/**
 * Sign-in rate limits with the portal's default settings (issue 16): 25 fast wrong sign-ins are
 * refused per account (after its 5 failures) and slowed, then refused, per client address (a burst
 * of 10 failures, then one per 2 s; 50 failures lock the address) — each a 429 with Retry-After —
 * while other people, from other addresses, sign in as usual. The counts are in the database, so
 * two portals on one PostgreSQL limit together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordHashCount } from '../src/auth/passwords.ts';
import { testPortal } from './helpers/portal.ts';
import { seededLogins } from './helpers/form-browser.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { TestClock } from './helpers/clock.ts';
import { login, type WebAnswer } from './helpers/web-session.ts';

/** The statuses of `answers`, run-length encoded: `401×5 429×20`. */
function runs(answers: WebAnswer[]): string {
  const out: string[] = [];
  let last = 0;
  let n = 0;
  for (const a of [...answers.map((x) => x.status), 0]) {
    if (a === last) n++;
    else {
      if (n) out.push(`${last}×${n}`);
      last = a;
      n = 1;
    }
  }
  return out.join(' ');
}

/** `count` wrong sign-ins in a row, as fast as they are answered. */
async function wrong(url: string, count: number, loginOf: (i: number) => string, from: string): Promise<WebAnswer[]> {
  const answers: WebAnswer[] = [];
  for (let i = 0; i < count; i++) answers.push(await login(url, { login: loginOf(i), password: `guess-${i}` }, from));
  return answers;
}

test('defaults: 25 fast wrong sign-ins are refused per account and slowed, then refused, per address; others sign in', { timeout: 60_000 }, async () => {
  // Frozen: on a slow machine the pace would drain between the requests of a "fast" burst.
  const clock = new TestClock();
  clock.freeze();
  const portal = await testPortal({}, { clock });
  try {
    const logins = await seededLogins(portal.dataDir);

    // One account from one address: its 5 failures, then 429 without a hash, the right password too.
    const hashes = passwordHashCount();
    const account = await wrong(portal.url, 25, () => 'anna', '127.0.0.1');
    assert.equal(runs(account), '401×5 429×20');
    assert.equal(passwordHashCount() - hashes, 5, 'refused attempts cost no hash');
    for (const a of account.slice(5)) {
      assert.deepEqual(a.body, { error: 'TOO_MANY_ATTEMPTS', error_description: 'Too many failed sign-ins: try again later' });
      assert.ok(Number(a.retryAfter) >= 1, `Retry-After ${a.retryAfter}`);
    }
    assert.equal((await login(portal.url, { login: 'anna', password: logins.get('anna')!.password }, '127.0.0.2')).status, 429, 'the account is locked from anywhere');
    // The account's lock is 30 s: Retry-After says so where the account decided it.
    assert.ok(Number(account[5].retryAfter) > 20 && Number(account[5].retryAfter) <= 30, `Retry-After ${account[5].retryAfter}`);
    // Someone else, from another address, is not affected.
    assert.equal((await login(portal.url, { login: 'ivan', password: logins.get('ivan')!.password }, '127.0.0.2')).status, 200);

    // One address spraying 25 logins (one failure each, so no account lock): 10 at once, then slowed.
    const spray = await wrong(portal.url, 25, (i) => `spray${i}`, '127.0.0.3');
    assert.equal(runs(spray), '401×10 429×15');
    for (const a of spray.slice(10)) assert.equal(a.retryAfter, '2', 'the next failure fits in 2 s');
    // Slowed, not shut: one more attempt fits every 2 s, and the one after it is refused again.
    clock.advance(2000);
    assert.equal((await login(portal.url, { login: 'paced', password: 'x' }, '127.0.0.3')).status, 401);
    assert.equal((await login(portal.url, { login: 'paced2', password: 'x' }, '127.0.0.3')).status, 429);
    // Others keep signing in, from their own addresses.
    assert.equal((await login(portal.url, { login: 'maria', password: logins.get('maria')!.password }, '127.0.0.4')).status, 200);

    // Then refused: at the pace, the address's 50th failure locks it (30 s, not the pace's 2 s).
    let failures = 11;
    let locked: WebAnswer | undefined;
    while (!locked && failures < 60) {
      clock.advance(2000);
      const res = await login(portal.url, { login: `slow${failures}`, password: 'x' }, '127.0.0.3');
      if (res.status === 401) failures++;
      else locked = res;
    }
    assert.equal(failures, 50, 'the 50th failure locked the address');
    assert.equal(locked?.status, 429);
    assert.ok(Number(locked?.retryAfter) > 20, `locked for longer than the pace: Retry-After ${locked?.retryAfter}`);
    clock.advance(2000);
    assert.equal((await login(portal.url, { login: 'john', password: logins.get('john')!.password }, '127.0.0.3')).status, 429, 'past the pace, still locked');
    assert.equal((await login(portal.url, { login: 'john', password: logins.get('john')!.password }, '127.0.0.5')).status, 200);
  } finally {
    await portal.close();
  }
});

test('a success gives its place in the pace back: people behind one address signing in do not slow each other', async () => {
  const portal = await testPortal();
  try {
    const logins = await seededLogins(portal.dataDir);
    for (let round = 0; round < 5; round++) {
      for (const who of ['admin', 'anna', 'ivan', 'maria', 'john']) {
        assert.equal((await login(portal.url, { login: who, password: logins.get(who)!.password })).status, 200, `${who}, round ${round}`);
      }
    }
  } finally {
    await portal.close();
  }
});

test('PostgreSQL: two portals on one database pace an address together', async (t) => {
  const fresh = await freshDatabase();
  if ('skip' in fresh) return t.skip(fresh.skip);
  const clock = new TestClock();
  clock.freeze();
  const a = await testPortal({ db: fresh.url }, { clock });
  const b = await testPortal({ db: fresh.url }, { clock });
  try {
    const first = await wrong(a.url, 6, (i) => `pg${i}`, '127.0.0.6');
    const second = await wrong(b.url, 6, (i) => `pg${i + 6}`, '127.0.0.6');
    assert.equal(`${runs(first)} | ${runs(second)}`, '401×6 | 401×4 429×2');
    assert.equal(second[5].retryAfter, '2');
  } finally {
    await a.close();
    await b.close();
    await fresh.drop();
  }
});
