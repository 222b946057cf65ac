/**
 * Guards for values from the API that end up in attributes. Text is always rendered through Vue's
 * interpolation (escaped) or the shared BB-code renderer; these check the few values that become a
 * URL or a colour.
 */
import { safeUrl } from '../../src/format/bbcode-render.ts';

export { bbcodeToHtml } from '../../src/format/bbcode-render.ts';
export { bbcodeToText, bbcodeToPreview, bbcodeIsBlank } from '../../src/format/bbcode-text.ts';

const IMAGE = new Set(['http', 'https']);

/** A link target: http, https, mailto, tel, or a path on this portal; undefined otherwise. */
export function safeHref(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (/^\/(?![/\\])[^\s\u0000-\u001f]*$/.test(raw)) return raw;
  return safeUrl(raw) ?? undefined;
}

/** A picture source: http(s) or a path on this portal. */
export function safeImage(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (/^\/(?![/\\])[^\s\u0000-\u001f]*$/.test(raw)) return raw;
  return safeUrl(raw, IMAGE) ?? undefined;
}

/** A `#RGB`/`#RRGGBB` colour (or `transparent`), undefined for anything else. */
export function safeColor(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw === 'transparent') return raw;
  return /^#[0-9a-f]{3}(?:[0-9a-f]{3})?$/i.test(raw) ? raw : undefined;
}

/** A positive pixel size, capped so a hostile value cannot blow up the layout. */
export function safeSize(raw: unknown, max = 2000): number | undefined {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), max) : undefined;
}
