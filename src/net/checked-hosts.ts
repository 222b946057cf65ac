/**
 * Resolving a host for an outgoing request so that the connection goes only where a guard allowed:
 * every address the name resolves to is classified and must be allowed, and the request then
 * connects to those very addresses (a pinned lookup), so a second DNS answer cannot swap in another.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { bareHost, classifyAddress, describeClass, isMetadataName, type AddressClass } from './addresses.ts';

/** One resolved address. */
export interface CheckedAddress { address: string; family: number }

/** The addresses a host may be reached at, or why it may not be reached at all. */
export type HostCheck = { addresses: CheckedAddress[] } | { refused: string };

/** Why a host is refused before any lookup (a refused literal address or a metadata name), or undefined. */
export function literalRefusal(hostname: string, allowed: (c: AddressClass) => boolean): string | undefined {
  const host = bareHost(hostname);
  if (net.isIP(host)) {
    const c = classifyAddress(host);
    return allowed(c) ? undefined : `${host} is ${describeClass(c)}`;
  }
  if (isMetadataName(host)) return `${host} is ${describeClass('metadata')}`;
  return undefined;
}

/**
 * Resolve `hostname` and check every address (all must be allowed). Lookup failures reject (a name
 * that does not resolve now may later); `timeoutMs` bounds the lookup, which takes no signal.
 */
export async function checkHost(hostname: string, allowed: (c: AddressClass) => boolean, timeoutMs: number): Promise<HostCheck> {
  const refused = literalRefusal(hostname, allowed);
  if (refused) return { refused };
  const host = bareHost(hostname);
  const literal = net.isIP(host);
  if (literal) return { addresses: [{ address: host, family: literal }] };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup of ${host} timed out`), { code: 'ETIMEOUT' })), timeoutMs);
  });
  try {
    const found = await Promise.race([dns.promises.lookup(host, { all: true, verbatim: true }), timeout]);
    if (!found.length) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
    for (const a of found) {
      const c = classifyAddress(a.address);
      if (!allowed(c)) return { refused: `${host} resolves to ${a.address}, ${describeClass(c)}` };
    }
    return { addresses: found };
  } finally {
    clearTimeout(timer);
  }
}

/** A `lookup` for http(s).request that answers only the checked addresses (all of them when asked for all). */
export function pinnedLookup(addresses: CheckedAddress[]): LookupFunction {
  return (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    else cb(null, addresses[0].address, addresses[0].family);
  };
}
