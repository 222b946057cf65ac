/**
 * The words of a text as the message search indexes and matches them: BB-code tags dropped (words,
 * not tags), split into runs of letters and digits, lower-cased (ё as е, Latin accents dropped,
 * compatibility forms such as full-width letters folded),
 * and each word stemmed — Russian words by stem-ru.ts, English (a–z) words by stem-en.ts, any
 * other word kept whole. The same function makes the index's terms, a query's terms and the
 * highlighted words of a snippet, so what is found and what is marked never disagree, on SQLite
 * and PostgreSQL alike. Every step is a forward scan: linear in the text.
 */
import { stemEnglish } from './stem-en.ts';
import { stemRussian } from './stem-ru.ts';

/** A term is cut to this many characters (a run of letters that long is no word anyone types). */
export const MAX_TERM = 64;
/** A text gives at most this many distinct terms to the index. */
export const MAX_TERMS = 10_000;
/** A query reads at most this many characters and this many words; the rest is ignored. */
export const MAX_QUERY_CHARS = 256;
export const MAX_QUERY_TERMS = 8;

/** Letters (with their combining marks) and digits make words; everything else separates them. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
/**
 * The BB-code tags Bitrix24 messages carry, opening or closing, with a parameter; `[b]bold[/b]`
 * indexes "bold". Anything else in brackets is text.
 */
const TAG = /\[\/?(?:b|i|u|s|url|img|user|chat|call|send|put|size|color|icon|br|quote|code|list|\*|table|tr|td|th|p|left|right|center|justify|disk|timestamp|context|like|dialog|bot|video|spoiler|hr)(?:[= ][^\[\]\n]{0,2048})?\]|#br#/giu;
const LATIN = /^[\p{Script=Latin}\p{M}\p{N}]+$/u;
const ENGLISH = /^[a-z]+$/;
const RUSSIAN = /^[а-я]+$/;

/** One word's term: its normalised spelling, stemmed where the language is known. */
export function termOf(word: string): string {
  // Compatibility forms fold: full-width letters, ligatures (ﬁ), superscripts.
  let w = word.normalize('NFKC').toLowerCase();
  if (LATIN.test(w)) w = w.normalize('NFD').replace(/\p{M}/gu, '');
  else w = w.replace(/ё/g, 'е');
  const cut = [...w];
  if (cut.length > MAX_TERM) w = cut.slice(0, MAX_TERM).join('');
  if (ENGLISH.test(w)) return stemEnglish(w);
  if (RUSSIAN.test(w)) return stemRussian(w);
  return w;
}

/** A word of a text and where it is (UTF-16 offsets). */
export interface Word { start: number; end: number; term: string }

/** The words of a plain text in order, with their terms. */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const term = termOf(m[0]);
    if (term) out.push({ start: m.index, end: m.index + m[0].length, term });
  }
  return out;
}

/** The distinct terms of a message's text (BB-code tags left out), as the index keeps them. */
export function textTerms(text: string): string[] {
  const seen = new Set<string>();
  for (const w of wordsOf(text.replace(TAG, ' '))) {
    seen.add(w.term);
    if (seen.size >= MAX_TERMS) break;
  }
  return [...seen];
}

/**
 * What a search string asks for: every term, the last one as a prefix (a word still being typed:
 * "сообщ" finds "сообщение"). Empty `terms` when the string has no word at all.
 */
export interface TermQuery { terms: string[] }

/** The terms a search string asks for: its first MAX_QUERY_CHARS characters, at most MAX_QUERY_TERMS distinct words. */
export function queryOf(search: string): TermQuery {
  const head = [...search.slice(0, MAX_QUERY_CHARS * 2)].slice(0, MAX_QUERY_CHARS).join('');
  const terms = [...new Set(wordsOf(head.replace(TAG, ' ')).map((w) => w.term))].slice(0, MAX_QUERY_TERMS);
  return { terms };
}

/** Whether a term is one the query asks for. */
export function termMatches(q: TermQuery, term: string): boolean {
  const last = q.terms.length - 1;
  return q.terms.some((t, i) => t === term || (i === last && term.startsWith(t)));
}
