/**
 * Sign-in (issue 8, finding 8): password checks run off the event loop and are bounded; an unknown
 * login does the same work as a wrong password; failures are throttled per login and per remote
 * address with 429 and Retry-After, in the store, so portals sharing a PostgreSQL count together.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPassword, hashPassword, HashBusyError, HASH_CONCURRENCY, HASH_QUEUE, passwordHashCount } from '../src/auth/passwords.ts';
import { addressKey } from '../src/auth/throttle.ts';
import { createUser } from '../src/domain/users.ts';
import { testPortal } from './helpers/portal.ts';
import { addUser } from './helpers/suite.ts';
import { seededLogins } from './helpers/form-browser.ts';
import { freshDatabase } from './helpers/postgres.ts';
import { TestClock } from './helpers/clock.ts';
import { login } from './helpers/web-session.ts';

test('password checks run off the event loop: timers fire while hashes are computed', async () => {
  const stored = await hashPassword('correct horse');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    // With a synchronous hash all four would finish before the first timer could run.
    const results = await Promise.all([checkPassword('correct horse', stored), checkPassword('nope', stored), checkPassword('x', null), checkPassword('y', 'garbage')]);
    assert.deepEqual(results, [true, false, false, false]);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 0, 'the event loop ran while hashing');
});

test('at most HASH_QUEUE checks wait for a hashing slot; the rest are refused at once as busy', async () => {
  const stored = await hashPassword('pw');
  const burst = HASH_CONCURRENCY + HASH_QUEUE + 5;
  const outcomes = await Promise.allSettled(Array.from({ length: burst }, () => checkPassword('pw', stored)));
  const busy = outcomes.filter((o) => o.status === 'rejected');
  assert.equal(busy.length, 5);
  for (const o of busy) assert.ok((o as PromiseRejectedResult).reason instanceof HashBusyError);
  assert.ok(outcomes.filter((o) => o.status === 'fulfilled').every((o) => (o as PromiseFulfilledResult<boolean>).value === true));
  // The slots are free again afterwards.
  assert.equal(await checkPassword('pw', stored), true);
});

test('an unknown login, a bot-like login without password and a wrong password each cost exactly one hash and answer alike', async () => {
  const portal = await testPortal();
  try {
    const anna = (await seededLogins(portal.dataDir)).get('anna')!;
    // A person with a login but no password (not able to sign in).
    await createUser(portal.portal.db, { name: 'No', lastName: 'Password', login: 'nopass' });
    const cases = [{ login: 'anna', password: 'wrong' }, { login: 'nobody-here', password: 'wrong' }, { login: 'nopass', password: '' }, { login: '', password: '' }];
    const answers = [];
    for (const c of cases) {
      const before = passwordHashCount();
      const res = await login(portal.url, c);
      assert.equal(passwordHashCount() - before, 1, `${JSON.stringify(c)} did one scrypt hash`);
      answers.push([res.status, res.body]);
    }
    for (const a of answers) assert.deepEqual(a, [401, { error: 'WRONG_CREDENTIALS', error_description: 'Wrong login or password' }]);
    const ok = await login(portal.url, { login: 'anna', password: anna.password });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.user_id, anna.id);
  } finally {
    await portal.close();
  }
});

test('a login is locked after its failures (429, Retry-After), others are not, and the right password works after the lock', async () => {
  const clock = new TestClock();
  // The address's pace (test/signin-rate.test.ts) kept out of the way: this is the login's lock.
  const portal = await testPortal({ signinMaxFailures: 3, signinLockMs: 1500, signinAddressBurst: 50 }, { clock });
  try {
    const logins = await seededLogins(portal.dataDir);
    const anna = logins.get('anna')!;
    const ivan = logins.get('ivan')!;
    for (let i = 0; i < 3; i++) assert.equal((await login(portal.url, { login: 'anna', password: `wrong${i}` })).status, 401);
    const locked = await login(portal.url, { login: 'anna', password: anna.password });
    assert.equal(locked.status, 429);
    assert.deepEqual(locked.body, { error: 'TOO_MANY_ATTEMPTS', error_description: 'Too many failed sign-ins: try again later' });
    assert.ok(Number(locked.retryAfter) >= 1 && Number(locked.retryAfter) <= 2, `Retry-After ${locked.retryAfter}`);
    // A locked login refuses without hashing.
    const before = passwordHashCount();
    assert.equal((await login(portal.url, { login: 'anna', password: 'again' })).status, 429);
    assert.equal(passwordHashCount(), before);

    // Another user from the same address signs in.
    assert.equal((await login(portal.url, { login: 'ivan', password: ivan.password })).status, 200);
    // An unknown login is locked the same way: a 429 tells nothing about which logins exist.
    for (let i = 0; i < 3; i++) assert.equal((await login(portal.url, { login: 'ghost', password: 'x' })).status, 401);
    assert.equal((await login(portal.url, { login: 'ghost', password: 'x' })).status, 429);

    clock.advance(1700);
    const after = await login(portal.url, { login: 'anna', password: anna.password });
    assert.equal(after.status, 200);
    // The success reset the count: two more failures are plain 401s, not a lock.
    for (let i = 0; i < 2; i++) assert.equal((await login(portal.url, { login: 'anna', password: 'wrong' })).status, 401);
    assert.equal((await login(portal.url, { login: 'anna', password: anna.password })).status, 200);
  } finally {
    await portal.close();
  }
});

test('parallel guesses cannot slip past the limit while their hashes run', async () => {
  const portal = await testPortal({ signinMaxFailures: 3, signinLockMs: 60_000 });
  try {
    const before = passwordHashCount();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login(portal.url, { login: 'john', password: `guess${i}` })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [...Array(3).fill(401), ...Array(9).fill(429)]);
    assert.equal(passwordHashCount() - before, 3);
  } finally {
    await portal.close();
  }
});

test('a remote address is locked after its failures across logins; another address is not', async () => {
  const portal = await testPortal({ signinAddressMaxFailures: 4, signinLockMs: 60_000 });
  try {
    const maria = (await seededLogins(portal.dataDir)).get('maria')!;
    for (const who of ['a1', 'a2', 'a3', 'a4']) assert.equal((await login(portal.url, { login: who, password: 'x' })).status, 401);
    const locked = await login(portal.url, { login: 'maria', password: maria.password });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.retryAfter) > 50);
    // 127.0.0.2 is another loopback address: its own budget.
    const other = await login(portal.url, { login: 'maria', password: maria.password }, '127.0.0.2');
    assert.equal(other.status, 200);
  } finally {
    await portal.close();
  }
});

test('throttle keys: IPv4-mapped addresses are IPv4, IPv6 counts by /64', () => {
  assert.equal(addressKey('::ffff:10.1.2.3'), 'addr:10.1.2.3');
  assert.equal(addressKey('127.0.0.1'), 'addr:127.0.0.1');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), addressKey('2001:0db8:0001:0002:ffff:1:2:3'));
  assert.notEqual(addressKey('2001:db8:1:2::1'), addressKey('2001:db8:1:3::1'));
  assert.equal(addressKey('::1'), 'addr:0:0:0:0::/64');
});

test('PostgreSQL: two portals on one database share the counts; users the operator adds (`parley user add`) sign in', async (t) => {
  const fresh = await freshDatabase();
  if ('skip' in fresh) return t.skip(fresh.skip);
  const a = await testPortal({ db: fresh.url, signinMaxFailures: 3, signinLockMs: 60_000 });
  const b = await testPortal({ db: fresh.url, signinMaxFailures: 3, signinLockMs: 60_000 });
  try {
    await addUser(a, { name: 'Olga', lastName: 'Orlova', login: 'olga', password: 'secret-pw' });
    assert.equal((await login(a.url, { login: 'olga', password: 'wrong' })).status, 401);
    assert.equal((await login(b.url, { login: 'olga', password: 'wrong' })).status, 401);
    assert.equal((await login(a.url, { login: 'olga', password: 'wrong' })).status, 401);
    // Three failures across two processes: both refuse now, the right password too.
    assert.equal((await login(b.url, { login: 'olga', password: 'secret-pw' })).status, 429);
    assert.equal((await login(a.url, { login: 'olga', password: 'secret-pw' })).status, 429);
    const anna = (await seededLogins(a.dataDir)).get('anna')!;
    assert.equal((await login(b.url, { login: 'anna', password: anna.password })).status, 200);
  } finally {
    await a.close();
    await b.close();
    await fresh.drop();
  }
});
