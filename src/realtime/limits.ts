/**
 * Admission of /realtime sockets. Every socket holds a file descriptor from the moment its upgrade
 * request arrives, so open and still-authenticating sockets are counted per client address, per
 * credential and in all, and refused beyond the caps: one webhook or one host must not take the
 * descriptors REST, the database and file downloads need.
 */
import fs from 'node:fs';
import { restError, type RestError } from '../errors.ts';
import { clientNetwork } from '../net/addresses.ts';

/** The caps in force. */
export interface SocketCaps {
  /** Sockets of one credential (one webhook, or one app's tokens for one user). */
  perCredential: number;
  /** Sockets from one client address (an IPv6 client counts by its /64). */
  perAddress: number;
  /** Sockets in all. */
  total: number;
}

/** One socket's hold on the counters, taken before authentication; `release()` may be called more than once. */
export interface Slot {
  readonly address: string;
  release(): void;
}

/** Without a configured cap: half the descriptor limit, and never more than this. */
const DEFAULT_MAX_SOCKETS = 10_000;
/** Descriptors kept out of the socket cap's reach for REST, the database, files and logs. */
const FD_RESERVE = 256;
/** Where the limit cannot be read (not Linux) and nothing is configured. */
const FALLBACK_MAX_SOCKETS = 1000;

/** Counters of open and opening realtime sockets. */
export class SocketLimits {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  private readonly byCredential = new Map<string, number>();
  private readonly credentialOf = new Map<Slot, string>();

  constructor(readonly caps: SocketCaps) {}

  /** Sockets open or opening now. */
  get size(): number {
    return this.total;
  }

  /** Take a global and an address slot before any authentication work, or the refusal to send. */
  admit(remoteAddress: string | undefined): Slot | RestError {
    const address = clientNetwork(remoteAddress);
    if (this.total >= this.caps.total) {
      return restError('REALTIME_BUSY', `The portal holds its maximum of ${this.caps.total} realtime connections; try again later`);
    }
    if ((this.byAddress.get(address) ?? 0) >= this.caps.perAddress) {
      return restError('TOO_MANY_CONNECTIONS', `At most ${this.caps.perAddress} realtime connections may be open from one address`);
    }
    this.total++;
    bump(this.byAddress, address, 1);
    let held = true;
    const slot: Slot = {
      address,
      release: () => {
        if (!held) return;
        held = false;
        this.total--;
        bump(this.byAddress, address, -1);
        const credential = this.credentialOf.get(slot);
        if (credential !== undefined) {
          this.credentialOf.delete(slot);
          bump(this.byCredential, credential, -1);
        }
      },
    };
    return slot;
  }

  /** Count an admitted slot against its credential too, or answer the refusal (the slot stays the caller's to release). */
  claim(slot: Slot, credential: string): RestError | undefined {
    if (this.credentialOf.has(slot)) return undefined;
    if ((this.byCredential.get(credential) ?? 0) >= this.caps.perCredential) {
      return restError('TOO_MANY_CONNECTIONS', `At most ${this.caps.perCredential} realtime connections may be open with one credential`);
    }
    this.credentialOf.set(slot, credential);
    bump(this.byCredential, credential, 1);
    return undefined;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** The process's open-file limit (read from /proc on Linux), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (!m) return undefined;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * The global socket cap: the configured one, or half the descriptor limit up to 10,000 — and never
 * so close to the limit that fewer than 256 descriptors stay free for everything else. `note` says
 * when a configured value was lowered.
 */
export function socketCap(configured: number | undefined, fdLimit: number | undefined): { total: number; note?: string } {
  if (fdLimit === undefined) return { total: configured ?? FALLBACK_MAX_SOCKETS };
  const ceiling = Math.max(1, fdLimit - FD_RESERVE);
  if (configured === undefined) return { total: Math.max(1, Math.min(DEFAULT_MAX_SOCKETS, Math.floor(fdLimit / 2))) };
  if (configured <= ceiling) return { total: configured };
  return { total: ceiling, note: `realtime socket cap lowered from ${configured} to ${ceiling}: the process may open ${fdLimit} files and keeps ${FD_RESERVE} for REST` };
}

/**
 * Lets at most `size` authentications run at once; the others wait their turn. A stalled database
 * would otherwise let each waiting upgrade hold a pool connection, and REST would find none left.
 */
export class AuthGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Run `fn` when a place is free; skipped (rejected with `gone`) when `abandoned()` says the client is gone by then. */
  async run<T>(fn: () => Promise<T>, abandoned: () => boolean, gone: Error): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      if (abandoned()) throw gone;
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
