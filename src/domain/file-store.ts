/**
 * Where file bytes live: a content-addressed directory (config.filesDir, `files/` in the data
 * directory by default), one blob per SHA-256, written to a temporary name and renamed so a crash
 * never leaves half a file under a real name. Also the signatures that make download and upload
 * URLs authorized without a session: HMACs with a portal secret kept in the store.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Portal } from '../portal.ts';
import { settingOnce } from '../store/settings.ts';

/** A stored blob: its key (hex SHA-256), size, and the first bytes (enough to recognise and measure an image). */
export interface StoredBlob { key: string; size: number; head: Buffer }

/** How many leading bytes are kept for image detection (JPEG frame headers may sit after large EXIF blocks). */
const HEAD_BYTES = 512 * 1024;

/** A file larger than the configured limit. */
export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`File is too large (limit ${limit} bytes)`);
  }
}

function blobPath(portal: Portal, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`bad blob key ${key}`);
  return path.join(portal.config.filesDir, key.slice(0, 2), key);
}

function tempPath(portal: Portal): string {
  const dir = path.join(portal.config.filesDir, 'tmp');
  // Chat files are private to the portal's user: directories 0700, files 0600 (mode of the temp file, kept by rename).
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
}

function place(portal: Portal, tmp: string, key: string): void {
  const dest = blobPath(portal, key);
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  // The same content may already be there: identical bytes, so either copy is fine.
  fs.renameSync(tmp, dest);
}

/** Store bytes held in memory (base64 uploads); FileTooLarge over the limit. */
export async function saveBlob(portal: Portal, bytes: Buffer): Promise<StoredBlob> {
  if (bytes.length > portal.config.fileMaxBytes) throw new FileTooLarge(portal.config.fileMaxBytes);
  const key = crypto.createHash('sha256').update(bytes).digest('hex');
  const tmp = tempPath(portal);
  await fs.promises.writeFile(tmp, bytes, { mode: 0o600 });
  place(portal, tmp, key);
  return { key, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) };
}

/** Store a stream (multipart uploads) without holding it in memory; FileTooLarge over the limit. */
export async function saveBlobStream(portal: Portal, stream: Readable): Promise<StoredBlob> {
  const limit = portal.config.fileMaxBytes;
  const tmp = tempPath(portal);
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  const hash = crypto.createHash('sha256');
  const head: Buffer[] = [];
  let size = 0;
  let headSize = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep reading to the end (a multipart parser waits for its part to be consumed), writing nothing more.
      if (size > limit) continue;
      hash.update(chunk);
      if (headSize < HEAD_BYTES) {
        head.push(chunk);
        headSize += chunk.length;
      }
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (size > limit) throw new FileTooLarge(limit);
  } catch (err) {
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  const key = hash.digest('hex');
  place(portal, tmp, key);
  return { key, size, head: Buffer.concat(head).subarray(0, HEAD_BYTES) };
}

/** The path of a blob on disk, or undefined when it is missing. */
export function blobFile(portal: Portal, key: string): string | undefined {
  const p = blobPath(portal, key);
  return fs.existsSync(p) ? p : undefined;
}

/** Remove a blob no file row uses any more. */
export function removeBlob(portal: Portal, key: string): void {
  fs.rmSync(blobPath(portal, key), { force: true });
}

// One secret per portal, created on first use and shared by every process on the same store.
const secrets = new WeakMap<object, string>();
async function urlSecret(portal: Portal): Promise<string> {
  const cached = secrets.get(portal.store);
  if (cached) return cached;
  // Written once: two processes signing their first URL together agree on the first write (an
  // overwrite would leave one of them signing with a key the others do not have).
  const value = await settingOnce(portal.db, 'file_url_secret', () => crypto.randomBytes(32).toString('hex'));
  secrets.set(portal.store, value);
  return value;
}

/** Sign a payload: `payload.signature`, both base64url. */
export async function sign(portal: Portal, payload: string): Promise<string> {
  const mac = crypto.createHmac('sha256', await urlSecret(portal)).update(payload).digest('base64url');
  return `${Buffer.from(payload).toString('base64url')}.${mac}`;
}

/** The payload of a token signed by `sign`, or undefined when the signature does not match. */
export async function verify(portal: Portal, token: string): Promise<string | undefined> {
  const [body, mac] = token.split('.');
  if (!body || !mac) return undefined;
  const payload = Buffer.from(body, 'base64url').toString();
  const want = crypto.createHmac('sha256', await urlSecret(portal)).update(payload).digest();
  const got = Buffer.from(mac, 'base64url');
  return got.length === want.length && crypto.timingSafeEqual(got, want) ? payload : undefined;
}
