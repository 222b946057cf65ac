/**
 * A client of the Giphy API (v1 search and trending) behind the portal's key, mapped to the pairs
 * imbot.Giphy.* answers with: a downsampled preview and the full animation, both WebP.
 */
import type { Config } from '../config.ts';
import { fail } from '../errors.ts';

/** One GIF as imbot.Giphy.list shows it. */
export interface Gif { preview: string; original: string }

interface GiphyImage { webp?: string; url?: string }
interface GiphyItem { images?: Record<string, GiphyImage | undefined> }

const pickUrl = (img?: GiphyImage) => img?.webp || img?.url || '';

/** Query Giphy; `search` null asks for trending GIFs. */
export async function giphy(config: Config, search: string | null, limit: number, offset: number): Promise<Gif[]> {
  if (!config.giphyKey) fail('SERVICE_UNAVAILABLE', 'Giphy is not configured on this portal (set PARLEY_GIPHY_KEY)');
  const url = new URL(search === null ? '/v1/gifs/trending' : '/v1/gifs/search', config.giphyUrl);
  url.searchParams.set('api_key', config.giphyKey);
  if (search !== null) url.searchParams.set('q', search);
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('offset', String(offset));
  url.searchParams.set('rating', 'g');
  let body: { data?: GiphyItem[] };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as { data?: GiphyItem[] };
  } catch (err) {
    fail('SERVICE_UNAVAILABLE', `Giphy did not answer: ${(err as Error).message}`);
  }
  return (body.data ?? [])
    .map((item) => ({
      preview: pickUrl(item.images?.fixed_width_downsampled) || pickUrl(item.images?.fixed_width),
      original: pickUrl(item.images?.fixed_height) || pickUrl(item.images?.original),
    }))
    .filter((g) => g.preview && g.original);
}
