// Unit tests of the BB-code parser and renderers: a pure function of text, so no server is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBbcode } from '../src/format/bbcode-parse.ts';
import { bbcodeToHtml, safeUrl, toHtml } from '../src/format/bbcode-render.ts';
import { bbcodeIsBlank, bbcodeToPreview, bbcodeToText, foldNodes, toPlainText } from '../src/format/bbcode-text.ts';
import { mulberry32 } from './helpers/prng.ts';

const RULE = '-'.repeat(54);
const A = 'target="_blank" rel="noopener noreferrer nofollow"';
const MANTIS = 'https://files.shelenkov.com/bitrix/images/mantis.jpg';
const UNICORN = 'http://files.shelenkov.com/images/unicorn.png';
const PRE = '<pre class="bx-code" dir="auto" tabindex="0">';

// [input, html, plain text]: every code of the seed's "Форматирование" chapter, then the English page's.
const TABLE: [string, string, string][] = [
  ['[B]полужирный[/B] текст', '<b>полужирный</b> текст', 'полужирный текст'],
  ['[U]подчеркнутый[/U] текст', '<u>подчеркнутый</u> текст', 'подчеркнутый текст'],
  ['[I]наклонный текст[/I] текст', '<i>наклонный текст</i> текст', 'наклонный текст текст'],
  ['[S]перечеркнутый[/S] текст', '<s>перечеркнутый</s> текст', 'перечеркнутый текст'],
  ['Первая строка[BR]Вторая строка', 'Первая строка<br>Вторая строка', 'Первая строка\nВторая строка'],
  ['Первая#BR#Вторая[br]Третья', 'Первая<br>Вторая<br>Третья', 'Первая\nВторая\nТретья'],
  ['Первая\nВторая\r\nТретья', 'Первая<br>Вторая<br>Третья', 'Первая\nВторая\nТретья'],
  ['>>первая строка цитаты\n>>вторая строка цитаты',
    '<blockquote class="bx-quote" dir="auto">первая строка цитаты<br>вторая строка цитаты</blockquote>',
    '>>первая строка цитаты\n>>вторая строка цитаты'],
  [`${RULE}\nДмитрий Власов [08.04.2016 13:06:49]\nПривет всем\n${RULE}`,
    '<blockquote class="bx-quote" dir="auto"><div class="bx-quote-author"><b>Дмитрий Власов</b> '
      + '<span class="bx-quote-date">08.04.2016 13:06:49</span></div>Привет всем</blockquote>',
    '>>Дмитрий Власов [08.04.2016 13:06:49]\n>>Привет всем'],
  [`до\n>>цитата\nпосле\n\n${RULE}\nбез автора\n${RULE}\nконец`,
    'до<blockquote class="bx-quote" dir="auto">цитата</blockquote>после<br><blockquote class="bx-quote" dir="auto">без автора</blockquote>конец',
    'до\n>>цитата\nпосле\n\n>>без автора\nконец'],
  ['http://bitrix24.ru', `<a href="http://bitrix24.ru" ${A}>http://bitrix24.ru</a>`, 'http://bitrix24.ru'],
  ['см. www.bitrix24.ru.', `см. <a href="http://www.bitrix24.ru" ${A}>www.bitrix24.ru</a>.`, 'см. www.bitrix24.ru.'],
  [MANTIS, `<img class="bx-image" src="${MANTIS}" loading="lazy" alt="">`, MANTIS],
  ['[URL=http://bitrix24.ru]Ссылка на Битрикс24[/URL]', `<a href="http://bitrix24.ru" ${A}>Ссылка на Битрикс24</a>`, 'Ссылка на Битрикс24'],
  ['[USER=5]Марта[/USER]', '<button type="button" class="bx-user" data-user-id="5">Марта</button>', 'Марта'],
  ['[CALL=84012334455]позвонить[/CALL]', '<a class="bx-call" href="tel:84012334455" data-call="84012334455">позвонить</a>', 'позвонить'],
  ['[CHAT=12]ссылка на чат[/CHAT]', '<button type="button" class="bx-chat" data-chat-id="12">ссылка на чат</button>', 'ссылка на чат'],
  ['\nОтступ\n\tОтступ\n\t\tОтступ', '<br>Отступ<br>\tОтступ<br>\t\tОтступ', '\nОтступ\n\tОтступ\n\t\tОтступ'],
  ['[send=текст]название кнопки[/send]', '<button type="button" class="bx-send" data-send="текст">название кнопки</button>', 'название кнопки'],
  ['[put=/search]Введите строку поиска[/put]', '<button type="button" class="bx-put" data-put="/search">Введите строку поиска</button>', 'Введите строку поиска'],
  [`[icon=${UNICORN} size=30 title=Единорог]`,
    `<img class="bx-icon" src="${UNICORN}" alt="Единорог" title="Единорог" width="30" height="30" loading="lazy">`, 'Единорог'],
  [`[ICON=${UNICORN} width=20 height=10 title=Мой единорог]`,
    `<img class="bx-icon" src="${UNICORN}" alt="Мой единорог" title="Мой единорог" width="20" height="10" loading="lazy">`, 'Мой единорог'],
  ['[url]https://example.com[/url]', `<a href="https://example.com" ${A}>https://example.com</a>`, 'https://example.com'],
  ['[URL=bitrix24.ru]сайт[/URL]', `<a href="http://bitrix24.ru" ${A}>сайт</a>`, 'сайт'],
  ['[url=mailto:a@b.example]почта[/url]', `<a href="mailto:a@b.example" ${A}>почта</a>`, 'почта'],
  ['[user=all]Everyone[/user]', '<span class="bx-user" data-user-id="all">Everyone</span>', 'Everyone'],
  ['[chat=imol|789]Line[/chat]', '<span class="bx-chat" data-chat-id="imol|789">Line</span>', 'Line'],
  ['[call]+1 999 123-45-67[/call]', '<a class="bx-call" href="tel:+19991234567" data-call="+1 999 123-45-67">+1 999 123-45-67</a>', '+1 999 123-45-67'],
  ['[SEND]/help[/SEND]', '<button type="button" class="bx-send" data-send="/help">/help</button>', '/help'],
  ['[size=20]large[/size] [color=#ff0000]red[/color]', '<span style="font-size:20px">large</span> <span style="color:#ff0000">red</span>', 'large red'],
  ['[b]жирный [i]и [u]наклонный[/u][/i][/B]', '<b>жирный <i>и <u>наклонный</u></i></b>', 'жирный и наклонный'],
  ['[URL=http://a.example][B]Жирная[/B] ссылка[/URL]', `<a href="http://a.example" ${A}><b>Жирная</b> ссылка</a>`, 'Жирная ссылка'],
  // The English page's "Quotes and Code", "Links" and "Images" tables.
  ['[code]console.log("hi")[/code]', `${PRE}console.log(&quot;hi&quot;)</pre>`, 'console.log("hi")'],
  ['[CODE]\nif (x) {\n    [b]y[/b];\n\treturn;\n}\n[/CODE]', `${PRE}if (x) {\n    [b]y[/b];\n\treturn;\n}</pre>`, 'if (x) {\n    [b]y[/b];\n\treturn;\n}'],
  [`[code]>>not a quote\n${RULE}\nx [1.1.2024]\n${RULE}\nhttp://a.example [url]b[/url][/code]`,
    `${PRE}&gt;&gt;not a quote\n${RULE}\nx [1.1.2024]\n${RULE}\nhttp://a.example [url]b[/url]</pre>`,
    `>>not a quote\n${RULE}\nx [1.1.2024]\n${RULE}\nhttp://a.example [url]b[/url]`],
  ['до\n[code]x[/code]\nпосле', `до${PRE}x</pre>после`, 'до\nx\nпосле'],
  ['[quote]Привет[br]всем[/quote]', '<blockquote class="bx-quote" dir="auto">Привет<br>всем</blockquote>', '>>Привет\n>>всем'],
  ['[QUOTE]\n[code]  x[/code]\n[/QUOTE]ok', `<blockquote class="bx-quote" dir="auto">${PRE}  x</pre></blockquote>ok`, '>>  x\nok'],
  ['[context=chat123/456]link[/context]', '<button type="button" class="bx-context" data-dialog-id="chat123" data-message-id="456">link</button>', 'link'],
  ['[img size=medium]https://example.com/pic.jpg [/img]', '<img class="bx-image bx-image-medium" src="https://example.com/pic.jpg" loading="lazy" alt="">', 'https://example.com/pic.jpg'],
  ['[disk=123]', '<button type="button" class="bx-disk" data-disk-id="123">\u{1F4CE}\u00a0File 123</button>', 'File 123'],
];

test('every documented code renders to the expected HTML and plain text', () => {
  for (const [input, html, text] of TABLE) {
    assert.equal(bbcodeToHtml(input), html, `html of ${JSON.stringify(input)}`);
    assert.equal(bbcodeToText(input), text, `text of ${JSON.stringify(input)}`);
    checkHtml(bbcodeToHtml(input));
  }
});

test('the tree carries ids, flags and quote parts', () => {
  assert.deepEqual(parseBbcode('[USER=5 REPLACE]Марта[/USER]'), [{ type: 'user', id: '5', name: 'Марта', replace: true }]);
  assert.deepEqual(parseBbcode(`[icon=${UNICORN} size=30 title=Единорог]`), [{ type: 'icon', src: UNICORN, size: 30, title: 'Единорог' }]);
  assert.deepEqual(parseBbcode(`${RULE}\nИван [1.2.2024]\nраз\nдва\n${RULE}`), [
    { type: 'quote', author: 'Иван', date: '1.2.2024', lines: [[{ type: 'text', text: 'раз' }], [{ type: 'text', text: 'два' }]] },
  ]);
  assert.deepEqual(parseBbcode('a\n>>b'), [{ type: 'text', text: 'a' }, { type: 'br' }, { type: 'quote', lines: [[{ type: 'text', text: 'b' }]] }]);
  assert.deepEqual(parseBbcode('[SEND=/go]Go[/SEND]'), [{ type: 'send', command: '/go', children: [{ type: 'text', text: 'Go' }] }]);
  assert.equal(toPlainText(parseBbcode('x')), 'x');
  assert.equal(toHtml([]), '');
});

test('code and quote blocks: lines inside are theirs, unclosed ones stay text', () => {
  assert.deepEqual(parseBbcode('[code]\n>>x\n[/code]'), [{ type: 'code', text: '>>x' }]);
  assert.deepEqual(parseBbcode('>>a [code]1\n>>2[/code]\nb'), [
    { type: 'quote', lines: [[{ type: 'text', text: 'a ' }, { type: 'code', text: '1\n>>2' }]] }, { type: 'br' }, { type: 'text', text: 'b' },
  ]);
  assert.deepEqual(parseBbcode('[b]x [quote]y[/quote][/b]'), [
    { type: 'bold', children: [{ type: 'text', text: 'x ' }, { type: 'quote', lines: [[{ type: 'text', text: 'y' }]] }] },
  ]);
  // A [QUOTE] ends at its first closing tag: one level only.
  assert.equal(bbcodeToHtml('[quote]a[quote]b[/quote]c[/quote]'), '<blockquote class="bx-quote" dir="auto">a[quote]b</blockquote>c[/quote]');
  assert.equal(bbcodeToHtml('[code]x\n>>y'), '[code]x<blockquote class="bx-quote" dir="auto">y</blockquote>');
  assert.equal(bbcodeToHtml('[quote]x\n[/code]'), '[quote]x<br>[/code]');
  assert.equal(bbcodeToHtml('[code][/code]'), `${PRE}</pre>`);
});

test('[TIMESTAMP] in the reader\'s language and time zone', () => {
  const at = '[timestamp=1645844720 format=SHORT_TIME_FORMAT]';
  assert.deepEqual(parseBbcode(at), [{ type: 'timestamp', unix: 1645844720, format: 'SHORT_TIME_FORMAT' }]);
  assert.equal(bbcodeToHtml(at, { locale: 'en-GB', timeZone: 'UTC' }), '<time class="bx-timestamp" datetime="2022-02-26T03:05:20.000Z">03:05</time>');
  assert.equal(bbcodeToText(at, { locale: 'ru', timeZone: 'Europe/Moscow' }), '06:05');
  assert.equal(bbcodeToText('[TIMESTAMP=1645844720 format=LONG_DATE_FORMAT]', { locale: 'en-US', timeZone: 'UTC' }), 'February 26, 2022');
  assert.match(bbcodeToText('[timestamp=1645844720]', { locale: 'en-US', timeZone: 'UTC' }), /^Feb 26, 2022, 3:05\sAM$/);
  // An unknown zone or language falls back to the runtime's own rather than failing.
  assert.match(bbcodeToText(at, { locale: 'xx-invalid-!!', timeZone: 'Nowhere/City' }), /\d/);
});

test('previews: one line of visible text, quotes reduced', () => {
  const cases: [string, string][] = [
    ['[b]Hello[/b]\n  [i]world[/i]', 'Hello world'],
    [`${RULE}\nИван Сидоров [01.12.2024 10:00:00]\nПривет\n${RULE}\nИ тебе привет`, 'И тебе привет'],
    [`${RULE}\nИван Сидоров [01.12.2024 10:00:00]\nПривет всем\n${RULE}`, '“Привет всем”'],
    ['>>a\n>>b', '“a b”'],
    ['[quote]q[/quote] ok', 'ok'],
    ['[code]  x\n    y[/code]', 'x y'],
    ['[USER=5]Марта[/USER], [url=https://a.example]сайт[/url] [send=/go]Go[/send]', 'Марта, сайт Go'],
    ['[b][/b]', ''],
  ];
  for (const [input, preview] of cases) assert.equal(bbcodeToPreview(input), preview, JSON.stringify(input));
  assert.equal(bbcodeToPreview('[disk=5]', { diskName: (id) => `report-${id}.pdf` }), 'report-5.pdf');
});

test('blank after formatting: nothing but tags and blanks', () => {
  for (const blank of ['', ' ', '[b][/b]', '[i] [/i]', '[b]\u200b[/b]', '[br]#BR#', '[code] \n [/code]', '[quote][/quote]',
    `${RULE}\n \n${RULE}`, '[u][s][/s][/u]', '[color=#f00] [/color][size=12][/size]']) {
    assert.equal(bbcodeIsBlank(blank), true, JSON.stringify(blank));
  }
  for (const shown of ['x', '[b]x[/b]', `[icon=${UNICORN}]`, '[user=5][/user]', '[disk=1]', '[timestamp=1]', '[code]0[/code]',
    '>>q', `${RULE}\nИван [1.1.2024]\n${RULE}`, '[b]', MANTIS, '[url=https://a.example][/url]']) {
    assert.equal(bbcodeIsBlank(shown), false, JSON.stringify(shown));
  }
});

test('folding: a long text, a wall of lines and a long code block are cut to the budget', () => {
  const long = foldNodes(parseBbcode(`[b]${'a'.repeat(5000)}[/b] tail`), 3000);
  assert.equal(long.cut, true);
  assert.equal(toPlainText(long.nodes), `${'a'.repeat(3000)}…`);
  const wall = foldNodes(parseBbcode('x\n'.repeat(1000)), 3000);
  assert.equal(wall.cut, true);
  assert.ok(toPlainText(wall.nodes).split('\n').length < 80, 'at most about 75 lines');
  const code = foldNodes(parseBbcode(`[code]${'    line\n'.repeat(500)}[/code]`), 3000);
  assert.equal(code.cut, true);
  assert.equal(code.nodes[0].type, 'code');
  assert.ok(toPlainText(code.nodes).startsWith('    line\n    line'));
  const quote = foldNodes(parseBbcode('>>q\n'.repeat(500)), 3000);
  assert.equal(quote.cut, true);
  const short = foldNodes(parseBbcode('short [b]text[/b]\n>>q'), 3000);
  assert.deepEqual(short, { nodes: parseBbcode('short [b]text[/b]\n>>q'), cut: false });
  // Never half a surrogate pair.
  const emoji = toPlainText(foldNodes(parseBbcode('😀'.repeat(2000)), 3001).nodes);
  assert.equal(emoji, `${'😀'.repeat(1500)}…`);
});

test('unknown, unbalanced and misplaced tags stay literal', () => {
  const cases: [string, string][] = [
    ['[b]x', '[b]x'],
    ['x[/b]', 'x[/b]'],
    ['[b]x[i]y[/b]z[/i]', '<b>x[i]y</b>z[/i]'],
    ['[foo]x[/foo] [b=1]y[/b]', '[foo]x[/foo] [b=1]y[/b]'],
    ['[USER=abc]x[/USER] [CHAT=x]y[/CHAT] [CALL=call me]z[/CALL]', '[USER=abc]x[/USER] [CHAT=x]y[/CHAT] [CALL=call me]z[/CALL]'],
    ['[url=http://a.example][url=http://b.example]x[/url][/url]', `<a href="http://a.example" ${A}>[url=http://b.example]x</a>[/url]`],
    ['[url=http://a.example]http://b.example', `[url=http://a.example]<a href="http://b.example" ${A}>http://b.example</a>`],
    ['[SEND]a\nb[/SEND]', '[SEND]a<br>b[/SEND]'],
    [`${RULE}\nне закрыт`, `${RULE}<br>не закрыт`],
    ['------\nтекст\n------', '------<br>текст<br>------'],
    [' >>не цитата', ' &gt;&gt;не цитата'],
    ['[[b]]x[/b]]', '[<b>]x</b>]'],
  ];
  for (const [input, html] of cases) assert.equal(bbcodeToHtml(input), html, JSON.stringify(input));
  const deep = `${'[b]'.repeat(1000)}x${'[/b]'.repeat(1000)}`;
  checkHtml(bbcodeToHtml(deep));
  assert.equal(bbcodeToText(deep).replace(/\[\/?b\]/g, ''), 'x');
});

test('hostile input never becomes markup or a script URL', () => {
  const cases: [string, string][] = [
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<img src=x onerror="alert(1)">', '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'],
    ['[URL=javascript:alert(1)]x[/URL]', 'x'],
    ['[URL=JaVaScRiPt:alert(1)]x[/URL]', 'x'],
    ['[URL= javascript:alert(1)]x[/URL]', 'x'],
    ['[URL=java\tscript:alert(1)]x[/URL]', 'x'],
    ['[URL=\u0001\u00a0javascript:alert(1)]x[/URL]', 'x'],
    ['[URL="javascript:alert(1)"]x[/URL]', 'x'],
    ['[URL=javascript&#58;alert(1)]x[/URL]', 'x'],
    ['[URL=&#106;avascript:alert(1)]x[/URL]', 'x'],
    ['[URL=java&#x09;script:alert(1)]x[/URL]', 'x'],
    ['[URL=https://ok.example/?next=javascript:alert(1)]x[/URL]', 'x'],
    ['[URL]javascript:alert(1)[/URL]', 'javascript:alert(1)'],
    ['[URL=data:text/html;base64,PHNjcmlwdD4=]x[/URL]', 'x'],
    ['[URL=vbscript:msgbox(1)]x[/URL]', 'x'],
    ['[URL=//evil.example]x[/URL]', 'x'],
    ['[ICON=javascript:alert(1) title=t]', 't'],
    ['[ICON=data:image/svg+xml,<svg/onload=alert(1)>]', ''],
    ['[ICON=mailto:a@b.example]', ''],
    ['[URL=http://x.example/" onmouseover="alert(1)]x[/URL]', `<a href="http://x.example/&quot; onmouseover=&quot;alert(1)" ${A}>x</a>`],
    ['[SEND=" autofocus onfocus="alert(1)]x[/SEND]', '<button type="button" class="bx-send" data-send="&quot; autofocus onfocus=&quot;alert(1)">x</button>'],
    ["[PUT=' onclick='alert(1)]x[/PUT]", '<button type="button" class="bx-put" data-put="&#39; onclick=&#39;alert(1)">x</button>'],
    ['[USER=5]<b onmouseover=x>[/USER]', '<button type="button" class="bx-user" data-user-id="5">&lt;b onmouseover=x&gt;</button>'],
    ['[COLOR=red;background:url(javascript:x)]x[/COLOR] [SIZE=9px;x]y[/SIZE]', '[COLOR=red;background:url(javascript:x)]x[/COLOR] [SIZE=9px;x]y[/SIZE]'],
    ['http://x.example/"onmouseover=alert(1)', `<a href="http://x.example/" ${A}>http://x.example/</a>&quot;onmouseover=alert(1)`],
    ['[CODE]<script>alert(1)</script>[/CODE]', `${PRE}&lt;script&gt;alert(1)&lt;/script&gt;</pre>`],
    ['[QUOTE]<img src=x onerror=alert(1)>[/QUOTE]', '<blockquote class="bx-quote" dir="auto">&lt;img src=x onerror=alert(1)&gt;</blockquote>'],
    ['[IMG size=small]javascript:alert(1) [/IMG] [img]data:image/png,x[/img]', 'javascript:alert(1) data:image/png,x'],
    ['[CONTEXT=javascript:alert(1)]x[/CONTEXT] [CONTEXT=chat1/2" onclick="x]y[/CONTEXT]', '[CONTEXT=javascript:alert(1)]x[/CONTEXT] [CONTEXT=chat1/2&quot; onclick=&quot;x]y[/CONTEXT]'],
    ['[DISK=1" onclick="x] [TIMESTAMP=1" onload="x]', '[DISK=1&quot; onclick=&quot;x] [TIMESTAMP=1&quot; onload=&quot;x]'],
    ['[url=http://a.example][code]x[/code][/url]', `<a href="http://a.example" ${A}>[code]x[/code]</a>`],
  ];
  for (const [input, html] of cases) {
    const out = bbcodeToHtml(input);
    assert.equal(out, html, JSON.stringify(input));
    checkHtml(out);
  }
  assert.match(bbcodeToHtml(`[ICON=${UNICORN} title=" onerror="alert(1)]`), /title="&quot; onerror=&quot;alert\(1\)"/);
  assert.equal(safeUrl('  HTTPS://ok.example/a  '), 'HTTPS://ok.example/a');
  assert.equal(safeUrl('tel:+1'), 'tel:+1');
  assert.equal(safeUrl('ftp://x.example'), null);
});

test('fuzz: 2500 random strings of tag fragments render to allow-listed HTML only', () => {
  const rand = mulberry32(0xb24);
  for (let n = 0; n < 2500; n++) {
    const input = randomText(rand, 1 + Math.floor(rand() * 40));
    let html = '';
    assert.doesNotThrow(() => (html = bbcodeToHtml(input)), JSON.stringify(input));
    checkHtml(html, input);
    assert.equal(typeof bbcodeToText(input), 'string');
  }
});

test('fuzz: text without markup comes back unchanged as plain text', () => {
  const rand = mulberry32(7);
  const parts = ['a', 'Б', ' ', '\t', '\n', 'http://x.example/p', 'www.y.example', '.', ',', '(', ')', '😀', '&', '<', '"', 'javascript:'];
  for (let n = 0; n < 500; n++) {
    let input = '';
    for (let k = Math.floor(rand() * 30); k > 0; k--) input += parts[Math.floor(rand() * parts.length)];
    assert.equal(bbcodeToText(input), input, JSON.stringify(input));
  }
});

test('large and pathological inputs complete', () => {
  const rand = mulberry32(42);
  let big = '';
  while (big.length < 200_000) big += randomText(rand, 50);
  const inputs = [
    big,
    '['.repeat(200_000),
    '[url='.repeat(40_000),
    '[url]\n'.repeat(30_000),
    '[b]'.repeat(70_000),
    `http://x.example/${'('.repeat(50_000)}${')'.repeat(50_000)}`,
    `http://${'/'.repeat(200_000)}.png`,
    `${'-'.repeat(200_000)}x\n`.repeat(2),
    `${' '.repeat(100_000)}[`,
    `[icon=${UNICORN}${' '.repeat(2000)}]`.repeat(50),
    `${RULE}\n${'x [1'.repeat(50_000)}]\n${RULE}`,
    '>>'.repeat(100_000),
    `${RULE}\n`.repeat(5_000),
    'x\n'.repeat(150_000),
    '[code]'.repeat(50_000),
    '[quote]>>a\n[code]x\n[/code][/quote]\n'.repeat(10_000),
    '[img size=small]'.repeat(20_000),
    `[code]${'[/quote][quote]'.repeat(20_000)}`,
  ];
  for (const input of inputs) {
    checkHtml(bbcodeToHtml(input));
    bbcodeToText(input);
  }
});

test('the HTML checker used above rejects what it should', () => {
  const bad = ['<script>', '<a href="javascript:x">x</a>', '<a href="java&#115;cript:x">x</a>', '<b onclick="x">x</b>', '<b>x',
    'x</b>', 'a"b', '<img src="data:x">', '&foo;', '<span style="background:url(x)">x</span>', '<b >x</b>'];
  for (const html of bad) assert.throws(() => checkHtml(html), JSON.stringify(html));
});

// ---- helpers ----

const FRAGMENTS = [
  '[b]', '[/b]', '[i]', '[/I]', '[u]', '[/u]', '[s]', '[/s]', '[url=', '[URL]', '[/url]', ']', '[', 'javascript:', 'JaVaScRiPt:',
  'java\tscript:', 'http://', 'https://x.example/a.png', 'www.', 'data:', 'mailto:', 'tel:', '"', "'", '<', '>', '&', '&#58;', 'on',
  '=', ' ', '\n', '\t', '>>', '------', RULE, 'Иван [1.1.2024 10:00]', '[send=', '[/send]', '[put=', '[/put]', '[user=5]', '[user=',
  '[/user]', '[chat=12]', '[/chat]', '[call=', '+7 495', '[/call]', '[icon=', ' size=', 'title=', '[br]', '#BR#', '[color=#f00]',
  '[/color]', '[size=12]', '[/size]', 'x', 'ф', '😀', '\u0000', '\u00a0', 'alert(1)', 'onerror=', '/',
  '[code]', '[/code]', '[CODE]', '[quote]', '[/quote]', '[context=chat1/2]', '[context=', '[/context]', '[img size=small]',
  '[img]', '[/img]', '[timestamp=1645844720 format=SHORT_TIME_FORMAT]', '[timestamp=', '[disk=12]', '[disk=',
];

function randomText(rand: () => number, count: number): string {
  let s = '';
  for (let k = 0; k < count; k++) s += FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)];
  return s;
}


const ALLOWED: Record<string, string[]> = {
  b: [], i: [], u: [], s: [], br: [],
  a: ['href', 'target', 'rel', 'class', 'data-call'],
  span: ['class', 'data-user-id', 'data-chat-id', 'style'],
  img: ['class', 'src', 'alt', 'title', 'width', 'height', 'loading'],
  button: ['type', 'class', 'data-send', 'data-put', 'data-user-id', 'data-chat-id', 'data-dialog-id', 'data-message-id', 'data-disk-id'],
  blockquote: ['class', 'dir'],
  div: ['class'],
  pre: ['class', 'dir', 'tabindex'],
  time: ['class', 'datetime'],
};
const VOID = new Set(['br', 'img']);
const TAG = /<(\/?)([a-z]+)((?: [a-z-]+="[^"<>]*")*)>/y;
const BAD_TEXT = /[<>"']|&(?!(?:amp|lt|gt|quot|#39);)/;

/** Strictly check rendered HTML: only our tags and attributes, balanced, escaped, safe URLs. */
function checkHtml(html: string, input = html): void {
  const where = `for ${JSON.stringify(input).slice(0, 300)}`;
  const open: string[] = [];
  let i = 0;
  for (let lt = html.indexOf('<'); ; lt = html.indexOf('<', i)) {
    const text = html.slice(i, lt < 0 ? html.length : lt);
    assert.ok(!BAD_TEXT.test(text), `unescaped text ${JSON.stringify(text.slice(0, 80))} ${where}`);
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    assert.ok(m, `foreign markup at ${JSON.stringify(html.slice(lt, lt + 60))} ${where}`);
    const [, slash, name, attrs] = m;
    assert.ok(name in ALLOWED, `tag <${name}> ${where}`);
    if (slash) {
      assert.equal(attrs, '', where);
      assert.equal(open.pop(), name, `unbalanced </${name}> ${where}`);
    } else if (!VOID.has(name)) open.push(name);
    for (const [, key, value] of attrs.matchAll(/ ([a-z-]+)="([^"]*)"/g)) {
      assert.ok(ALLOWED[name].includes(key), `attribute ${key} on <${name}> ${where}`);
      assert.ok(!BAD_TEXT.test(value), `unescaped attribute ${key} ${where}`);
      const url = value.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[e]!);
      if (key === 'href') assert.match(url, /^(?:https?|mailto|tel):/i, where);
      if (key === 'src') assert.match(url, /^https?:\/\//i, where);
      if (key === 'href' || key === 'src') assert.doesNotMatch(url, /javascript:/i, where);
      if (key === 'style') assert.match(url, /^(?:color:#[0-9a-f]{3,6}|font-size:\d+px)$/i, where);
    }
    i = lt + m[0].length;
  }
  assert.deepEqual(open, [], `unclosed tags ${where}`);
}
