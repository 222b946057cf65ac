/**
 * Rich links (seed: "Если по адресу ссылки есть «богатое форматирование», то ссылка автоматически
 * его подхватит"): the first http(s) URL of a message is fetched and its title, description and
 * image become a RICH_LINK block. Fetching is guarded against server-side request forgery: only
 * http/https, every resolved address must be public (unless allowed), the connection goes to the
 * address that was checked, redirects are re-checked, and time and size are bounded.
 */
import http from 'node:http';
import https from 'node:https';
import { classifyAddress, type AddressClass } from '../net/addresses.ts';
import { checkHost, pinnedLookup, type CheckedAddress } from '../net/checked-hosts.ts';

/** One rich link as Bitrix24 stores it (seed, im.dialog.messages.get example). */
export interface RichLinkItem { NAME: string; LINK: string; DESC?: string; PREVIEW?: string }
/** The block a URL preview adds to a message's attach. */
export interface RichLinkBlock { RICH_LINK: RichLinkItem[] }

/** Limits of one preview fetch. */
export interface PreviewOptions {
  /** Fetch loopback and private-network addresses too (tests, closed networks); never link-local or metadata ones. */
  allowPrivate?: boolean;
  /** Whole fetch, redirects included; 3 s by default. */
  timeoutMs?: number;
  /** Bytes of the page read at most; 512 KB by default. */
  maxBytes?: number;
  /** Redirects followed at most; 3 by default. */
  maxRedirects?: number;
}

/** The first http(s) URL of a message text (bare or in [URL=…]), trailing punctuation excluded. */
export function firstUrl(textValue: string): string | undefined {
  const m = /https?:\/\/[^\s\[\]<>"']+/i.exec(textValue);
  if (!m) return undefined;
  const url = m[0].replace(/[.,;:!?)]+$/, '');
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a message is just its link (Bitrix24's URL_ONLY). */
export function isLinkOnly(textValue: string, url: string): boolean {
  return textValue.replace(/\[URL(?:=[^\]]*)?\]|\[\/URL\]/gi, '').split(url).join('').trim() === '';
}

// ---- addresses ------------------------------------------------------------------------------

/** Whether an IP address is loopback, private, link-local or otherwise not a public Internet host. */
export function isPrivateAddress(ip: string): boolean {
  return classifyAddress(ip) !== 'public';
}

// With allowPrivate, loopback and private networks are fetched too; link-local, metadata,
// unspecified, multicast, broadcast and reserved addresses never are.
const previewAllowed = (allowPrivate: boolean) => (c: AddressClass) => c === 'public' || (allowPrivate && (c === 'loopback' || c === 'private'));

/** The addresses a host resolves to, all of them checked; undefined when any is not allowed. */
async function checkedAddresses(host: string, allowPrivate: boolean, timeoutMs: number): Promise<CheckedAddress[] | undefined> {
  const r = await checkHost(host, previewAllowed(allowPrivate), timeoutMs);
  return 'addresses' in r ? r.addresses : undefined;
}

// ---- fetching -------------------------------------------------------------------------------

interface Page { url: string; body: Buffer; contentType: string }

// One request whose connection is pinned to an address that was checked (no second DNS answer).
function requestOnce(url: URL, address: CheckedAddress, maxBytes: number, signal: AbortSignal): Promise<{ status: number; location?: string; page?: Page }> {
  const lookup = pinnedLookup([address]);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, {
      method: 'GET', lookup, signal, agent: false,
      headers: { 'user-agent': 'Parley-UrlPreview/1.0', accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' },
    }, (res) => {
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        return resolve({ status, location: res.headers.location });
      }
      if (status !== 200 || !/^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType)) {
        res.destroy();
        return resolve({ status });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => resolve({ status, page: { url: url.href, body: Buffer.concat(chunks).subarray(0, maxBytes), contentType } });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // Enough for the head of any page: stop reading instead of taking whatever the server sends.
        if (size >= maxBytes) {
          res.destroy();
          done();
        }
      });
      res.on('end', done);
      res.on('error', (e) => (size >= maxBytes ? done() : reject(e)));
    });
    req.on('error', reject);
    req.end();
  });
}

async function fetchPage(start: string, opts: Required<PreviewOptions>, signal: AbortSignal): Promise<Page | undefined> {
  let url = new URL(start);
  for (let hop = 0; hop <= opts.maxRedirects; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    const addresses = await checkedAddresses(url.hostname, opts.allowPrivate, opts.timeoutMs);
    if (!addresses) return undefined;
    const r = await requestOnce(url, addresses[0], opts.maxBytes, signal);
    if (r.page) return r.page;
    if (!r.location) return undefined;
    url = new URL(r.location, url);
  }
  return undefined;
}

// ---- parsing --------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', ndash: '–',
  mdash: '—', hellip: '…', copy: '©', reg: '®', trade: '™', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
  bull: '•', middot: '·', euro: '€', times: '×', deg: '°',
};

/** Decode HTML character references (named ones that pages use in titles, and all numeric ones). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const clean = (s: string, max: number) => decodeEntities(s.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim().slice(0, max);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-z_:.-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    out[m[1].toLowerCase()] = m[3] ?? m[4] ?? m[5] ?? '';
  }
  return out;
}

function decodeBody(page: Page): string {
  const head = page.body.subarray(0, 4096).toString('latin1');
  const charset = /charset=["']?([\w-]+)/i.exec(page.contentType)?.[1] ?? /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(page.body);
  } catch {
    return new TextDecoder('utf-8').decode(page.body);
  }
}

/** The title, description and image of an HTML page (og:* first, then <title> and meta description). */
export function parsePreview(html: string, base: string): { title: string; description: string; image?: string } {
  const meta: Record<string, string> = {};
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    const key = (a.property ?? a.name ?? '').toLowerCase();
    if (key && a.content !== undefined && !(key in meta)) meta[key] = a.content;
  }
  const title = clean(meta['og:title'] ?? /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '', 255);
  const description = clean(meta['og:description'] ?? meta.description ?? '', 1000);
  let image: string | undefined;
  try {
    const u = meta['og:image'] ? new URL(decodeEntities(meta['og:image'].trim()), base) : undefined;
    if (u && (u.protocol === 'http:' || u.protocol === 'https:')) image = u.href;
  } catch { /* no usable image */ }
  return { title, description, image };
}

/**
 * Fetch `url` and build its RICH_LINK block; null when the page cannot be fetched safely, is not
 * HTML, or has no title. Never throws.
 */
export async function buildRichLink(url: string, opts: PreviewOptions = {}): Promise<RichLinkBlock | null> {
  const o: Required<PreviewOptions> = { allowPrivate: false, timeoutMs: 3000, maxBytes: 512 * 1024, maxRedirects: 3, ...opts };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The abort ends a request in flight; the race also bounds DNS lookups, which take no signal.
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, o.timeoutMs);
  });
  try {
    const page = await Promise.race([fetchPage(url, o, controller.signal), timeout]);
    if (!page) return null;
    const found = parsePreview(decodeBody(page), page.url);
    if (!found.title) return null;
    const item: RichLinkItem = { NAME: found.title, LINK: new URL(url).href };
    if (found.description) item.DESC = found.description;
    if (found.image) item.PREVIEW = found.image;
    return { RICH_LINK: [item] };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
