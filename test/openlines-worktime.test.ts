/**
 * A line's working hours and its no-answer scenario: outsideWorktime read in the line's time zone
 * (hours, a shift over midnight, days off, holidays, an unknown zone); on a real portal, a session
 * started outside working hours tells the customer WORKTIME_DAYOFF_TEXT (and inside, nothing), and a
 * customer nobody answers for NO_ANSWER_TIME after their message is told NO_ANSWER_TEXT once a
 * session, through the line timers — not once an operator has answered.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { restForm, waitFor } from './helpers/portal.ts';
import { addUser, sqlitePortalFor, webhookFor } from './helpers/suite.ts';
import { connector, customerSays, textsOf } from './helpers/lines.ts';
import { createLine } from '../src/domain/lines/lines.ts';
import { CONFIG_FIELDS, type Settings } from '../src/domain/lines/config.ts';
import { outsideWorktime } from '../src/domain/lines/worktime.ts';

/** A line's settings: the defaults with `over` on top. */
function settings(over: Partial<Settings>): Settings {
  const base = Object.fromEntries(Object.entries(CONFIG_FIELDS).map(([k, f]) => [k, f.d])) as Settings;
  return { ...base, WORKTIME_ENABLE: 'Y', ...over };
}

describe('working hours: outsideWorktime', () => {
  // Wednesday 2026-12-02 in UTC.
  const at = (hhmm: string) => new Date(`2026-12-02T${hhmm}:00Z`);

  test('hours in the line\'s time zone; before FROM and from TO on are outside', () => {
    const s = settings({ WORKTIME_FROM: '9:00', WORKTIME_TO: '18:30', WORKTIME_TIMEZONE: 'UTC' });
    assert.equal(outsideWorktime(s, at('08:59')), true);
    assert.equal(outsideWorktime(s, at('09:00')), false);
    assert.equal(outsideWorktime(s, at('18:29')), false);
    assert.equal(outsideWorktime(s, at('18:30')), true);
    // 08:30 UTC is 09:30 in Berlin (UTC+1 in December): inside there.
    assert.equal(outsideWorktime({ ...s, WORKTIME_TIMEZONE: 'Europe/Berlin' }, at('08:30')), false);
    assert.equal(outsideWorktime({ ...s, WORKTIME_ENABLE: 'N' }, at('03:00')), false, 'not enabled: never outside');
  });

  test('a shift over midnight, days off, holidays; an unknown zone is the portal\'s own', () => {
    const night = settings({ WORKTIME_FROM: '22:00', WORKTIME_TO: '06:00', WORKTIME_TIMEZONE: 'UTC' });
    assert.equal(outsideWorktime(night, at('23:00')), false);
    assert.equal(outsideWorktime(night, at('05:59')), false);
    assert.equal(outsideWorktime(night, at('12:00')), true);
    const day = settings({ WORKTIME_FROM: '00:00', WORKTIME_TO: '24:00', WORKTIME_TIMEZONE: 'UTC' });
    assert.equal(outsideWorktime(day, at('12:00')), false);
    assert.equal(outsideWorktime({ ...day, WORKTIME_DAYOFF: ['WE'] }, at('12:00')), true, 'Wednesday is a day off');
    assert.equal(outsideWorktime({ ...day, WORKTIME_DAYOFF: ['SA', 'SU'] }, at('12:00')), false);
    assert.equal(outsideWorktime({ ...day, WORKTIME_HOLIDAYS: ['01.01,2.12'] }, at('12:00')), true, '2 December is a holiday');
    assert.equal(outsideWorktime({ ...day, WORKTIME_TIMEZONE: 'Not/AZone' }, at('12:00')), false);
  });
});

describe('working hours and no answer on a line', () => {
  const portal = sqlitePortalFor({ linesTickMs: 50 });

  test('a session started outside working hours tells the customer the day-off text; inside, nothing', async () => {
    const p = portal();
    const ann = await addUser(p, { name: 'Ann', lastName: 'Op' });
    const c = await connector(p, 'wt_conn');
    const DAYOFF = 'We are closed now. Write, and we will answer in working hours.';
    const closed = await createLine(p.portal.db, 1, { name: 'Closed', queue: [{ type: 'user', id: ann }], params: {
      WORKTIME_ENABLE: 'Y', WORKTIME_DAYOFF: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], WORKTIME_DAYOFF_RULE: 'text', WORKTIME_DAYOFF_TEXT: DAYOFF,
    } });
    const got = await customerSays(p, c, closed, 'w1', 'anyone there?');
    assert.deepEqual((await textsOf(p, got.chat.id)).filter((t) => t === DAYOFF), [DAYOFF]);
    assert.equal((await p.portal.db.selectFrom('ol_sessions').select('stage').where('id', '=', got.session.id).executeTakeFirstOrThrow()).stage, 'queue', 'still offered to operators');
    // Open all day: nothing said.
    const open = await createLine(p.portal.db, 1, { name: 'Open', queue: [{ type: 'user', id: ann }], params: {
      WORKTIME_ENABLE: 'Y', WORKTIME_FROM: '00:00', WORKTIME_TO: '24:00', WORKTIME_DAYOFF_RULE: 'text', WORKTIME_DAYOFF_TEXT: DAYOFF,
    } });
    const inside = await customerSays(p, c, open, 'w2', 'hello');
    assert.ok(!(await textsOf(p, inside.chat.id)).includes(DAYOFF));
    // The live chat's widget says nobody is available outside working hours (it then notes a message as received).
    const codeOf = async (id: number) => (await p.portal.db.selectFrom('ol_lines').select('livechat_code').where('id', '=', id).executeTakeFirstOrThrow()).livechat_code;
    const available = async (id: number) => (await (await fetch(`${p.url}/widget/${await codeOf(id)}/config`, { headers: { origin: 'https://shop.example.com' } })).json()).operatorAvailable;
    await restForm(await webhookFor(p, ann, 'im'), 'user.current');
    assert.equal(await available(open), true, 'Ann was just active');
    assert.equal(await available(closed), false, 'a day off');
  });

  test('nobody answers for NO_ANSWER_TIME: the customer is told once; an answered session is not', async () => {
    const p = portal();
    const ann = await addUser(p, { name: 'Ann', lastName: 'Op' });
    const c = await connector(p, 'na_conn');
    const NO_ANSWER = 'All our operators are busy; we will answer soon.';
    const lineId = await createLine(p.portal.db, 1, { name: 'Busy', queue: [{ type: 'user', id: ann }], params: {
      QUEUE_TIME: 600, NO_ANSWER_RULE: 'text', NO_ANSWER_TEXT: NO_ANSWER, NO_ANSWER_TIME: 1,
    } });
    const t0 = Date.now();
    const got = await customerSays(p, c, lineId, 'n1', 'hello?');
    await waitFor('the no-answer text', async () => (await textsOf(p, got.chat.id)).includes(NO_ANSWER) || undefined, 10_000);
    assert.ok(Date.now() - t0 >= 1000, 'not before NO_ANSWER_TIME');
    await customerSays(p, c, lineId, 'n1', 'still there?');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await textsOf(p, got.chat.id)).filter((t) => t === NO_ANSWER).length, 1, 'once a session');

    // Ann answers another customer at once: that one is never told.
    const other = await customerSays(p, c, lineId, 'n2', 'hi');
    const hook = await webhookFor(p, ann, 'im');
    assert.equal((await restForm(hook, 'im.message.add', { DIALOG_ID: `chat${other.chat.id}`, MESSAGE: 'Hello!' })).status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!(await textsOf(p, other.chat.id)).includes(NO_ANSWER));
  });
});
