/**
 * An English stemmer: M. F. Porter's algorithm (1980), steps 1a to 5b, for one lower-case word of
 * the letters a–z. Each step tests a bounded list of suffixes at the end of the word and the
 * measure of what precedes them, so the time is linear in the word's length.
 */

// Whether the letter at i is a consonant: not a vowel, and a y only after a vowel (or first).
function consonant(w: string, i: number): boolean {
  const ch = w[i];
  if ('aeiou'.includes(ch)) return false;
  return ch === 'y' ? i === 0 || !consonant(w, i - 1) : true;
}

/** m of [C](VC)^m[V]: how many vowel–consonant sequences the stem has. */
function measure(stem: string): number {
  let m = 0;
  let i = 0;
  const n = stem.length;
  while (i < n && consonant(stem, i)) i++;
  while (i < n) {
    while (i < n && !consonant(stem, i)) i++;
    if (i >= n) break;
    m++;
    while (i < n && consonant(stem, i)) i++;
  }
  return m;
}

const hasVowel = (stem: string) => [...stem].some((_, i) => !consonant(stem, i));
const doubleConsonant = (w: string) => w.length >= 2 && w[w.length - 1] === w[w.length - 2] && consonant(w, w.length - 1);
// *o: consonant–vowel–consonant at the end, the last not w, x or y.
const cvc = (w: string) => {
  const n = w.length;
  return n >= 3 && consonant(w, n - 3) && !consonant(w, n - 2) && consonant(w, n - 1) && !'wxy'.includes(w[n - 1]);
};

/**
 * The rule of a step whose suffix is the longest one `w` ends with: the word with it replaced when
 * the stem before it passes `ok`, else the word unchanged (no shorter suffix is tried instead).
 */
function replaceLongest(w: string, rules: readonly (readonly [string, string])[], ok: (stem: string, suffix: string) => boolean): string {
  let best: readonly [string, string] | undefined;
  for (const r of rules) if (w.endsWith(r[0]) && (!best || r[0].length > best[0].length)) best = r;
  if (!best) return w;
  const stem = w.slice(0, w.length - best[0].length);
  return ok(stem, best[0]) ? stem + best[1] : w;
}

const STEP2 = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'], ['abli', 'able'], ['alli', 'al'],
  ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'],
  ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'],
] as const;
const STEP3 = [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', '']] as const;
const STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize']
  .map((s) => [s, ''] as const);

function step1(word: string): string {
  let w = word;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (!w.endsWith('ss') && w.endsWith('s')) w = w.slice(0, -1);
  let trimmed = false;
  if (w.endsWith('eed')) {
    if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
  } else {
    for (const s of ['ed', 'ing']) {
      if (w.endsWith(s) && hasVowel(w.slice(0, -s.length))) {
        w = w.slice(0, -s.length);
        trimmed = true;
        break;
      }
    }
  }
  if (trimmed) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (doubleConsonant(w) && !'lsz'.includes(w[w.length - 1])) w = w.slice(0, -1);
    else if (measure(w) === 1 && cvc(w)) w += 'e';
  }
  if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  return w;
}

/** The stem of one lower-case word of the letters a–z; words of one or two letters stay as they are. */
export function stemEnglish(word: string): string {
  if (word.length <= 2) return word;
  let w = step1(word);
  w = replaceLongest(w, STEP2, (stem) => measure(stem) > 0);
  w = replaceLongest(w, STEP3, (stem) => measure(stem) > 0);
  w = replaceLongest(w, STEP4, (stem, suffix) => measure(stem) > 1 && (suffix !== 'ion' || /[st]$/.test(stem)));
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !cvc(stem))) w = stem;
  }
  if (w.endsWith('ll') && measure(w) > 1) w = w.slice(0, -1);
  return w;
}
