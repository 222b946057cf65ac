/**
 * Message text as this reader sees it outside the message itself: the render options (their
 * language, the names of files the open dialog knows), one-line snippets for replies and lists, and
 * the text a quote takes. Everything goes through the shared BB-code code (src/format).
 */
import { dialog } from '../dialog.ts';
import { lang, t } from '../i18n.ts';
import { me } from '../store.ts';
import type { RecentItem } from '../types.ts';
import { parseBbcode } from '../../../src/format/bbcode-parse.ts';
import { toPlainText, toPreviewText, type RenderOptions } from '../../../src/format/bbcode-text.ts';
import { tf } from './strings.ts';
import { systemLineOf } from '../recent/system-previews.ts';

/** How this reader's messages are rendered: dates in the UI language and the browser's zone, files by name. */
export function renderOptions(): RenderOptions {
  return { locale: lang.value, diskName: (id) => dialog.files[Number(id)]?.name ?? tf('file', { id }) };
}

/** A message as one line of at most `max` characters (reply bars and snippets). */
export function snippet(text: string, max: number): string {
  const line = toPreviewText(parseBbcode(text), renderOptions());
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The text the Quote action puts between the dashes: the message's own words as plain text,
 * without the quotes it holds itself (a quote of a quote would only repeat them).
 */
export function quotable(text: string): string {
  const own = parseBbcode(text).filter((n) => n.type !== 'quote');
  return toPlainText(own, renderOptions()).replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * The recent list's second line: the portal's preview of the last message (already plain text with
 * quotes reduced, previewText on the server), "You: " before one's own, a word for a file or an attachment;
 * a system line in the reader's language once its facts are fetched (recent/system-previews.ts).
 */
export function recentPreview(i: RecentItem): string {
  if (!i.message) return '';
  const system = systemLineOf(i);
  if (system !== null) return toPreviewText(parseBbcode(system), renderOptions());
  const text = (i.message.text || '').replace(/\s+/g, ' ').trim();
  const prefix = i.message.author_id && i.message.author_id === me.value?.id ? `${t('you')}: ` : '';
  return prefix + (text || (i.message.file ? t('file') : i.message.attach ? '[attach]' : ''));
}
