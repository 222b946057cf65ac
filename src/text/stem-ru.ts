/**
 * A Russian stemmer: the Snowball algorithm for Russian (perfective gerund, reflexive, adjectival,
 * verb and noun endings; a final и; derivational -ость; нн, superlative and ь), written for one
 * lower-case word of Cyrillic letters with ё already made е. Each step looks at a handful of
 * endings at the end of the word, so the time is linear in the word's length.
 */

const VOWELS = new Set('аеиоуыэюя');

/** Endings of each step; "after а/я" endings count only behind one of those letters (inside RV). */
interface Endings { afterA: readonly string[]; plain: readonly string[] }

const GERUND: Endings = { afterA: ['в', 'вши', 'вшись'], plain: ['ив', 'ивши', 'ившись', 'ыв', 'ывши', 'ывшись'] };
const ADJECTIVE: Endings = {
  afterA: [],
  plain: ['ее', 'ие', 'ые', 'ое', 'ими', 'ыми', 'ей', 'ий', 'ый', 'ой', 'ем', 'им', 'ым', 'ом', 'его', 'ого', 'ему', 'ому', 'их', 'ых', 'ую', 'юю', 'ая', 'яя', 'ою', 'ею'],
};
const PARTICIPLE: Endings = { afterA: ['ем', 'нн', 'вш', 'ющ', 'щ'], plain: ['ивш', 'ывш', 'ующ'] };
const REFLEXIVE: Endings = { afterA: [], plain: ['ся', 'сь'] };
const VERB: Endings = {
  afterA: ['ла', 'на', 'ете', 'йте', 'ли', 'й', 'л', 'ем', 'н', 'ло', 'но', 'ет', 'ют', 'ны', 'ть', 'ешь', 'нно'],
  plain: ['ила', 'ыла', 'ена', 'ейте', 'уйте', 'ите', 'или', 'ыли', 'ей', 'уй', 'ил', 'ыл', 'им', 'ым', 'ен', 'ило', 'ыло', 'ено', 'ят', 'ует',
    'уют', 'ит', 'ыт', 'ены', 'ить', 'ыть', 'ишь', 'ую', 'ю'],
};
const NOUN: Endings = {
  afterA: [],
  plain: ['а', 'ев', 'ов', 'ие', 'ье', 'е', 'иями', 'ями', 'ами', 'еи', 'ии', 'и', 'ией', 'ей', 'ой', 'ий', 'й', 'иям', 'ям', 'ием', 'ем', 'ам',
    'ом', 'о', 'у', 'ах', 'иях', 'ях', 'ы', 'ь', 'ию', 'ью', 'ю', 'ия', 'ья', 'я'],
};

/**
 * RV (after the first vowel) and R2 (after the second vowel–consonant pair) as start indexes; the
 * word's length when a region is empty.
 */
function regions(w: string): { rv: number; r2: number } {
  const n = w.length;
  // Moves past the next letter that is (or is not) a vowel; n when there is none.
  const past = (from: number, vowel: boolean) => {
    let i = from;
    while (i < n && VOWELS.has(w[i]) !== vowel) i++;
    return Math.min(i + 1, n);
  };
  const rv = past(0, true);
  const r1 = past(rv, false);
  return { rv, r2: past(past(r1, true), false) };
}

/**
 * Where the longest ending of `e` that lies inside the region from `limit` starts, or -1: an
 * "after а/я" ending needs that letter before it, also inside the region, or the step fails (as
 * Snowball's `among`, the longest ending decides; a shorter one is not tried instead).
 */
function endingAt(w: string, limit: number, e: Endings): number {
  let best = '';
  let afterA = false;
  for (const [list, needsA] of [[e.afterA, true], [e.plain, false]] as const) {
    for (const s of list) {
      if (s.length > best.length && w.length - s.length >= limit && w.endsWith(s)) [best, afterA] = [s, needsA];
    }
  }
  if (!best) return -1;
  const at = w.length - best.length;
  if (afterA && !(at - 1 >= limit && (w[at - 1] === 'а' || w[at - 1] === 'я'))) return -1;
  return at;
}

// Step 1 without a perfective gerund: an adjective ending (and a participle before it), else a verb, else a noun ending.
function inflection(w: string, rv: number): string {
  const adjective = endingAt(w, rv, ADJECTIVE);
  if (adjective >= 0) {
    const stem = w.slice(0, adjective);
    const participle = endingAt(stem, rv, PARTICIPLE);
    return participle >= 0 ? stem.slice(0, participle) : stem;
  }
  for (const e of [VERB, NOUN]) {
    const at = endingAt(w, rv, e);
    if (at >= 0) return w.slice(0, at);
  }
  return w;
}

/** The stem of one lower-case Cyrillic word (ё as е). */
export function stemRussian(word: string): string {
  const { rv, r2 } = regions(word);
  let w = word;
  const gerund = endingAt(w, rv, GERUND);
  if (gerund >= 0) w = w.slice(0, gerund);
  else {
    const reflexive = endingAt(w, rv, REFLEXIVE);
    if (reflexive >= 0) w = w.slice(0, reflexive);
    w = inflection(w, rv);
  }
  if (w.length > rv && w.endsWith('и')) w = w.slice(0, -1);
  // Derivational -ост(ь), only when the whole ending lies in R2.
  for (const s of ['ость', 'ост']) {
    if (w.endsWith(s) && w.length - s.length >= Math.max(r2, rv)) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  // Tidying: a superlative ending goes (then нн is undoubled), else нн becomes н, else a final ь goes.
  const superlative = ['ейше', 'ейш'].find((s) => w.endsWith(s) && w.length - s.length >= rv);
  if (superlative) {
    w = w.slice(0, -superlative.length);
    if (w.endsWith('нн') && w.length - 2 >= rv) w = w.slice(0, -1);
  } else if (w.endsWith('нн') && w.length - 2 >= rv) w = w.slice(0, -1);
  else if (w.endsWith('ь') && w.length - 1 >= rv) w = w.slice(0, -1);
  return w;
}
