/**
 * Where event handlers may be (issue 8, finding 11). A handler URL is where the portal POSTs events,
 * and what the handler answers is kept and shown in the event log, so an unrestricted URL would make
 * the portal a readable POST into its own network. The policy, checked when a URL is registered and
 * again at every delivery (DNS answers change):
 * - http or https only;
 * - public addresses: always;
 * - loopback (127.0.0.0/8, ::1): allowed unless left out of PARLEY_EVENT_NETWORKS — a bot on the
 *   developer's machine is the main use;
 * - private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): allowed unless left out of
 *   PARLEY_EVENT_NETWORKS — self-hosted bots run next to the portal (containers, LAN, VPN);
 * - link-local (169.254/16, fe80::/10), cloud metadata services (169.254.169.254, fd00:ec2::254,
 *   100.100.100.200, 168.63.129.16, metadata.google.internal, …), 0.0.0.0 and ::, multicast,
 *   broadcast and reserved ranges: never, in any spelling.
 */
import type { Config } from '../config.ts';
import type { AddressClass } from '../net/addresses.ts';
import { checkHost } from '../net/checked-hosts.ts';

/** How long a registration waits for DNS before accepting the URL (delivery checks again anyway). */
const REGISTRATION_LOOKUP_MS = 2000;

/** Whether an event handler may be at an address of this class under the configuration. */
export function handlerAddressAllowed(config: Pick<Config, 'eventNetworks'>, c: AddressClass): boolean {
  if (c === 'public') return true;
  return (c === 'loopback' || c === 'private') && config.eventNetworks.includes(c);
}

/** The sentence every refusal ends with: what is allowed, and the switch. */
export function policyHint(config: Pick<Config, 'eventNetworks'>): string {
  const extra = config.eventNetworks.length ? ` and ${config.eventNetworks.join(' and ')} ones` : ' only';
  return `event handlers may be at public addresses${extra} (PARLEY_EVENT_NETWORKS), never at link-local or cloud metadata ones`;
}

/** What is wrong with a handler URL: not an absolute http(s) URL, or refused by the policy (with why). */
export type HandlerUrlProblem = { wrongUrl: true } | { refused: string };

/**
 * What keeps a handler URL from being registered, or undefined when nothing does. The host is
 * resolved (bounded); a name that does not resolve yet is accepted, since each delivery checks again.
 */
export async function handlerUrlProblem(config: Pick<Config, 'eventNetworks'>, raw: string): Promise<HandlerUrlProblem | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { wrongUrl: true };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { wrongUrl: true };
  try {
    const r = await checkHost(url.hostname, (c) => handlerAddressAllowed(config, c), REGISTRATION_LOOKUP_MS);
    return 'refused' in r ? { refused: `Handler URL refused: ${r.refused}; ${policyHint(config)}` } : undefined;
  } catch {
    return undefined;
  }
}
