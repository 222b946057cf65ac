/**
 * Password hashing with scrypt, off the event loop. Hashes run on libuv's thread pool (which file
 * reads, DNS lookups and zlib share), so at most HASH_CONCURRENCY run at once and at most
 * HASH_QUEUE wait: a flood of sign-ins slows sign-ins only, never the rest of the portal.
 * Checking a password against no stored hash still does one full hash, so an unknown login takes
 * the same work as a wrong password.
 */
import crypto from 'node:crypto';
import os from 'node:os';

// N=16384, r=8, p=1 (Node's defaults, 16 MiB each): the parameters every stored hash was made with.
const KEY_LEN = 32;

/**
 * Hashes running at once: half the cores, at least 1 and at most 2 of libuv's 4 default threads,
 * so the event loop keeps a core and the pool keeps threads for files and DNS.
 */
export const HASH_CONCURRENCY = Math.min(2, Math.max(1, Math.floor(os.availableParallelism() / 2)));
/** Hashes allowed to wait for a slot; beyond that a sign-in is refused as busy (SIGNIN_BUSY). */
export const HASH_QUEUE = 100;

/** Thrown when HASH_QUEUE hashes already wait: the caller answers 503 with Retry-After. */
export class HashBusyError extends Error {
  constructor() {
    super('too many password checks are waiting');
  }
}

let running = 0;
let hashes = 0;
const waiting: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) {
    if (waiting.length >= HASH_QUEUE) throw new HashBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter (running stays the same) or give it back.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function scrypt(password: string, salt: Buffer): Promise<Buffer> {
  return slot(() => new Promise<Buffer>((resolve, reject) => {
    hashes++;
    crypto.scrypt(password, salt, KEY_LEN, (err, key) => (err ? reject(err) : resolve(key)));
  }));
}

/** How many scrypt hashes this process has started (lets tests see that a path did the work). */
export function passwordHashCount(): number {
  return hashes;
}

/** Hash a password with scrypt and a random salt: `scrypt$salt$hash` in hex. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

// What an account without a usable hash is checked against: a real hash of a random password, so
// the work is the same as for a real account and the answer is always "no".
const DUMMY_SALT = crypto.randomBytes(16);
const DUMMY_HASH = crypto.randomBytes(KEY_LEN);

/**
 * Check a password against a stored hash (null or malformed: against a dummy, same work, false);
 * the comparison is constant-time.
 */
export async function checkPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const [kind, salt, hash] = (stored ?? '').split('$');
  const usable = kind === 'scrypt' && /^[0-9a-f]{32}$/.test(salt ?? '') && /^[0-9a-f]{64}$/.test(hash ?? '');
  const got = await scrypt(password, usable ? Buffer.from(salt, 'hex') : DUMMY_SALT);
  const want = usable ? Buffer.from(hash, 'hex') : DUMMY_HASH;
  return crypto.timingSafeEqual(got, want) && usable;
}
