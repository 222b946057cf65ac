/**
 * What kind of host an IP address is, for the guards on outgoing requests (URL previews, event
 * handlers): public, loopback, private network, link-local, a cloud metadata service, unspecified,
 * multicast, broadcast, or otherwise reserved. One classification, so every guard refuses the same
 * spellings: IPv4-mapped and NAT64/6to4-embedded IPv4 are judged by the IPv4 address inside.
 * (Decimal, hex and octal IPv4 and trailing dots are normalised by the WHATWG URL parser before a
 * host gets here; DNS answers are plain dotted quads or IPv6 text.)
 */
import net from 'node:net';

/** The kinds of address an outgoing request can be aimed at. */
export type AddressClass =
  | 'public' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'broadcast' | 'reserved';

// Cloud instance-metadata services, which hand out credentials to whoever asks from inside the host:
// AWS/GCP/Azure/OpenStack/DigitalOcean/Oracle (169.254.169.254), AWS ECS task metadata
// (169.254.170.2), Alibaba Cloud (100.100.100.200, inside carrier-grade NAT space) and Azure's
// WireServer (168.63.129.16, a public address). AWS's IPv6 one (fd00:ec2::254) is checked below.
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16']);

// Host names of those services (GCP, AWS, and the bare names some images resolve through search domains).
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

function v4(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b, i) => /^\d{1,3}$/.test(parts[i]) && b <= 255) ? bytes : undefined;
}

// 16 bytes of an IPv6 address (with an embedded dotted quad if present).
function v6(ip: string): number[] | undefined {
  let s = ip.replace(/%.*$/, '');
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (quad) {
    const b = v4(quad[1]);
    if (!b) return undefined;
    tail = b;
    s = s.slice(0, -quad[1].length) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h ? h.split(':') : []);
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...left, ...Array(fill).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const bytes = groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
  if (quad) bytes.splice(12, 4, ...tail);
  return bytes;
}

function classifyV4(bytes: number[]): AddressClass {
  const [a, b, c] = bytes;
  if (METADATA_V4.has(bytes.join('.'))) return 'metadata';
  if (a === 0) return 'unspecified'; // "this network", 0.0.0.0 included
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local';
  if (bytes.every((x) => x === 255)) return 'broadcast';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT (also VPN overlays)
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) // IETF protocol assignments, TEST-NET-1
    || (a === 198 && (b === 18 || b === 19)) // benchmarking
    || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved'; // TEST-NET-2/3
  return 'public';
}

// An IPv4 address carried inside IPv6 by a translator (NAT64, 6to4) reaches that IPv4 host from the
// translator, not from here: only a public one is a normal destination.
const embedded = (bytes: number[]): AddressClass => {
  const c = classifyV4(bytes);
  return c === 'public' ? 'public' : c === 'metadata' || c === 'link-local' ? c : 'reserved';
};

/** The kind of host an IP address (IPv4 dotted quad or IPv6 text) is; what cannot be parsed is 'reserved'. */
export function classifyAddress(ip: string): AddressClass {
  const four = v4(ip);
  if (four) return classifyV4(four);
  const b = v6(ip.replace(/^\[|\]$/g, ''));
  if (!b) return 'reserved'; // what cannot be parsed is not trusted
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12)); // IPv4-mapped
  if (zero(0, 15) && b[15] === 0) return 'unspecified'; // ::
  if (zero(0, 15) && b[15] === 1) return 'loopback'; // ::1
  if (zero(0, 12)) return 'reserved'; // the deprecated IPv4-compatible block
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return embedded(b.slice(12)); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return embedded(b.slice(2, 6)); // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'reserved'; // documentation
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return 'reserved'; // Teredo
  if (b[0] === 0x01 && b[1] === 0x00 && zero(2, 8)) return 'reserved'; // discard-only
  // AWS's instance services prefix (IMDS at fd00:ec2::254), inside unique-local space.
  if (b[0] === 0xfd && b[1] === 0x00 && b[2] === 0x0e && b[3] === 0xc2 && zero(4, 8)) return 'metadata';
  if ((b[0] & 0xfe) === 0xfc) return 'private'; // unique local fc00::/7
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'private'; // site-local fec0::/10 (deprecated)
  if (b[0] === 0xff) return 'multicast';
  return 'public';
}

/** A URL's hostname as a lookup key: brackets and trailing dots removed, lower case. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
}

/** Whether a host name (not an address) names a cloud metadata service. */
export function isMetadataName(hostname: string): boolean {
  return METADATA_NAMES.has(bareHost(hostname));
}

/** Words for an address class in error messages ("a link-local address"). */
export function describeClass(c: AddressClass): string {
  return {
    public: 'a public address', loopback: 'a loopback address', private: 'a private-network address',
    'link-local': 'a link-local address', metadata: 'a cloud metadata address', unspecified: 'an unspecified address (0.0.0.0, ::)',
    multicast: 'a multicast address', broadcast: 'the broadcast address', reserved: 'a reserved address',
  }[c];
}

/**
 * The network a client is counted by (sign-in throttle, realtime socket limits): IPv4 as it is (also
 * when written IPv4-mapped), IPv6 by its first 64 bits, because whoever has one IPv6 address usually
 * has the whole /64 to pick from.
 */
export function clientNetwork(raw: string | undefined): string {
  const ip = (raw ?? '').replace(/%.*$/, '');
  if (/^::ffff:/i.test(ip) && net.isIPv4(ip.slice(7))) return ip.slice(7);
  if (!net.isIPv6(ip)) return ip;
  const [head, tail] = ip.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
