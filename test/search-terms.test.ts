/**
 * The words message search indexes and matches (src/text/): pure functions of text, so no portal is
 * needed. The Russian stemmer is compared with PostgreSQL's own Snowball stemmer (`russian_stem`) on
 * a vocabulary of word forms; the English one with the examples of Porter's paper; then the terms of
 * texts and queries (tags left out, normalisation, limits) and snippets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { stemRussian } from '../src/text/stem-ru.ts';
import { stemEnglish } from '../src/text/stem-en.ts';
import { MAX_QUERY_TERMS, MAX_TERM, queryOf, termMatches, textTerms } from '../src/text/terms.ts';
import { snippetOf, snippetPieces } from '../src/text/snippet.ts';
import { freshDatabase } from './helpers/postgres.ts';

/** Russian word forms: stems with noun, adjective, verb, participle, gerund and derivational endings. */
function russianForms(): string[] {
  const stems = ['сообщени', 'красив', 'бега', 'отправ', 'работ', 'книг', 'стол', 'окн', 'программ', 'деревн', 'счаст', 'земл', 'врем', 'пут'];
  const endings = ['', 'а', 'я', 'ы', 'и', 'у', 'ю', 'е', 'ой', 'ей', 'ом', 'ем', 'ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ов', 'ев', 'ие', 'ия',
    'ий', 'ый', 'ая', 'ое', 'ые', 'ого', 'ему', 'ыми', 'ешь', 'ет', 'ете', 'ют', 'ут', 'ил', 'ила', 'ило', 'или', 'ать', 'ять', 'ить', 'ться',
    'лся', 'лась', 'ющий', 'ющая', 'вший', 'вшись', 'ость', 'ости', 'нный', 'ейший', 'ейшая', 'ение', 'ения', 'ением', 'ениями', 'ь', 'ью'];
  const words = stems.flatMap((s) => endings.map((e) => s + e));
  return [...words, ...('важнейшие бесконечности благодарностью валентина вагона человечество счастливейший прекраснейшая продолжаются '
    + 'поговорили разговаривавшими смеявшийся улыбнувшись нежностью безумие зданиях стеклянный деревянная длинноватый елками').split(' ')];
}

test('the Russian stemmer agrees with PostgreSQL\'s Snowball russian_stem', async (t) => {
  const db = await freshDatabase();
  if ('skip' in db) return t.skip(db.skip);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const words = russianForms();
    const { rows } = await c.query<{ w: string; l: string[] | null }>('select w, ts_lexize(\'russian_stem\', w) l from unnest($1::text[]) w', [words]);
    // Stop words ("и", "она") have no stem there.
    const compared = rows.filter((r) => r.l?.length);
    assert.ok(compared.length > 800, `${compared.length} words compared`);
    assert.deepEqual(compared.filter((r) => stemRussian(r.w) !== r.l![0]).map((r) => `${r.w}: ${stemRussian(r.w)} ≠ ${r.l![0]}`), []);
  } finally {
    await c.end();
    await db.drop();
  }
});

test('the English stemmer gives the stems of Porter\'s paper', () => {
  const table: Record<string, string> = {
    caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat', feed: 'feed', agreed: 'agre', plastered: 'plaster',
    bled: 'bled', motoring: 'motor', sing: 'sing', conflated: 'conflat', troubled: 'troubl', sized: 'size', hopping: 'hop', tanned: 'tan',
    falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail', filing: 'file', happy: 'happi', sky: 'sky', relational: 'relat',
    conditional: 'condit', rational: 'ration', valenci: 'valenc', digitizer: 'digit', conformabli: 'conform', radicalli: 'radic',
    differentli: 'differ', vileli: 'vile', analogousli: 'analog', vietnamization: 'vietnam', predication: 'predic', operator: 'oper',
    feudalism: 'feudal', decisiveness: 'decis', hopefulness: 'hope', callousness: 'callous', formaliti: 'formal', sensitiviti: 'sensit',
    sensibiliti: 'sensibl', triplicate: 'triplic', formative: 'form', formalize: 'formal', electriciti: 'electr', electrical: 'electr',
    hopeful: 'hope', goodness: 'good', revival: 'reviv', allowance: 'allow', inference: 'infer', airliner: 'airlin', gyroscopic: 'gyroscop',
    adjustable: 'adjust', defensible: 'defens', irritant: 'irrit', replacement: 'replac', adjustment: 'adjust', dependent: 'depend',
    adoption: 'adopt', homologou: 'homolog', communism: 'commun', activate: 'activ', angulariti: 'angular', homologous: 'homolog',
    effective: 'effect', bowdlerize: 'bowdler', probate: 'probat', rate: 'rate', cease: 'ceas', controll: 'control', roll: 'roll',
    generalizations: 'gener', oscillators: 'oscil', running: 'run', runs: 'run', messages: 'messag', message: 'messag',
  };
  assert.deepEqual(Object.keys(table).filter((w) => stemEnglish(w) !== table[w]).map((w) => `${w}: ${stemEnglish(w)} ≠ ${table[w]}`), []);
});

test('the terms of a text: words not tags, normalised and stemmed, distinct', () => {
  assert.deepEqual(textTerms('[b]Привет[/b], [USER=5]Анна[/USER]! [URL=https://x.test/secret]ссылка[/URL] #BR# [COLOR=#f00]red[/COLOR] [ICON=https://x.test/i.png title=Hi]'),
    ['привет', 'ан', 'ссылк', 'red']);
  // ё is е, accents and compatibility forms fold; words of other scripts stay whole.
  assert.deepEqual(textTerms('Ёлки ёлка Café ＣＡＦＥ ﬁnance 2024 v2 中文字 क्षत्रिय'), ['елк', 'cafe', 'financ', '2024', 'v2', '中文字', 'क्षत्रिय']);
  // Square brackets that are no BB-code are text.
  assert.deepEqual(textTerms('[draft] plan'), ['draft', 'plan']);
  assert.equal(textTerms(`${'ж'.repeat(500)} x`)[0].length, MAX_TERM);
});

test('the terms of a query: no syntax, bounded, the last word a prefix', () => {
  assert.deepEqual(queryOf('"OR" NOT сообщ* AND (x) NEAR(a b) \'; drop').terms, ['or', 'not', 'сообщ', 'and', 'x', 'near', 'a', 'b']);
  assert.equal(queryOf('a '.repeat(1000) + 'b c d e f g h i j').terms.length, 1);
  assert.equal(queryOf('one two three four five six seven eight nine ten').terms.length, MAX_QUERY_TERMS);
  assert.deepEqual(queryOf('🙂 !!! ***').terms, []);
  const q = queryOf('отчёт сообщ');
  assert.ok(termMatches(q, 'отчет') && termMatches(q, 'сообщен') && !termMatches(q, 'отчетн') && !termMatches(q, 'сооб'));
});

test('a snippet: a window around the first match, the matches marked, cut into pieces for escaping', () => {
  const q = queryOf('ключевые');
  assert.deepEqual(snippetOf('Короткий текст с  ключевым\nсловом', q), { text: 'Короткий текст с ключевым словом', marks: [[17, 25]] });
  const long = snippetOf(`${'начало '.repeat(50)}ключевое ${'конец '.repeat(50)}`, q);
  assert.ok(long.text.startsWith('…начало') && long.text.endsWith('…') && long.text.length <= 162, long.text);
  assert.equal(long.text.slice(...long.marks[0]), 'ключевое');
  // A window never splits a character made of two UTF-16 units.
  const emoji = snippetOf(`${'🙂'.repeat(200)} ключевое`, q);
  assert.ok(!/^…?[\uDC00-\uDFFF]/.test(emoji.text) && !/[\uD800-\uDBFF]…?$/.test(emoji.text), emoji.text);
  assert.deepEqual(snippetPieces('a <b> c', [[2, 5]]), [{ text: 'a ', hit: false }, { text: '<b>', hit: true }, { text: ' c', hit: false }]);
  assert.deepEqual(snippetPieces('abc', [[2, 9], [1, 0]]), [{ text: 'abc', hit: false }]);
});
