/**
 * The clocks of open lines, checked every `linesTickMs` on every node: the bot's time is up
 * (WELCOME_BOT_TIME), an offered operator did not answer (QUEUE_TIME: the next one gets it), a
 * waiting session's next round (everyone passed on it: the queue starts again after QUEUE_TIME),
 * the no-answer text to a customer nobody has answered for NO_ANSWER_TIME since their last message
 * (NO_ANSWER_RULE=text, once a session), and automatic close after the customer's silence (AUTO_CLOSE_TIME). Each step is a conditional
 * update (routing.ts), so nodes ticking at once apply it once.
 */
import type { Portal } from '../../portal.ts';
import { runAction } from '../action.ts';
import type { Db } from '../../store/db.ts';
import { routingOf, settingsOf, type Routing } from './config.ts';
import { findLine } from './lines.ts';
import { botToQueue, distribute, finish, skip } from './routing.ts';
import { findChat } from '../chats.ts';
import { tellCustomer } from './outgoing.ts';
import { findSession, ids, moveSession, STATUS, type Session } from './sessions.ts';

/** Sessions looked at per tick and kind: a backlog is worked off over the following ticks. */
const BATCH = 200;

async function tick(portal: Portal): Promise<void> {
  const db = portal.db;
  const now = Date.now();
  // Each step is an action of its own: one failing (logged) does not hold up the others.
  const step = (s: Session, work: (trx: Db) => Promise<unknown>) =>
    runAction(portal, work).catch((err) => portal.log.error({ err, component: 'lines', session: s.id }, 'a line timer step failed'));
  const latest = async (trx: Db, s: Session) => (await findSession(trx, s.id)) ?? s;
  const routings = new Map<number, Routing | undefined>();
  const routing = async (lineId: number) => {
    if (!routings.has(lineId)) {
      const line = await findLine(db, lineId);
      routings.set(lineId, line ? routingOf(settingsOf(line)) : undefined);
    }
    return routings.get(lineId);
  };

  const bots = await db.selectFrom('ol_sessions').selectAll().where('stage', '=', 'bot').where('bot_until', '>', 0).where('bot_until', '<=', now).limit(BATCH).execute();
  for (const s of bots) await step(s, (trx) => botToQueue(portal, trx, s));

  const queued = await db.selectFrom('ol_sessions').selectAll().where('stage', '=', 'queue').orderBy('offered_at').limit(BATCH).execute();
  for (const s of queued) {
    const r = await routing(s.line_id);
    if (!r?.queueTimeMs || s.offered_at + r.queueTimeMs > now) continue;
    if (s.status === STATUS.NEW) {
      // Nobody it was offered to answered in time: each passes on it, and it goes to the next.
      for (const id of ids(s.offered)) await step(s, async (trx) => skip(portal, trx, await latest(trx, s), id));
    } else if (s.status === STATUS.WAITING) {
      // A new round: those who passed on it may be offered it again.
      await step(s, async (trx) => {
        if (await moveSession(trx, s, { stage: 'queue', status: STATUS.WAITING }, { skipped: '[]', offered_at: now })) await distribute(portal, trx, { ...s, skipped: '[]' });
      });
    }
  }

  const unanswered = await db.selectFrom('ol_sessions').selectAll().where('stage', '=', 'queue').where('answered_at', '=', 0).where('no_answer_at', '=', 0)
    .orderBy('last_message_at').limit(BATCH).execute();
  for (const s of unanswered) {
    const r = await routing(s.line_id);
    if (!r?.noAnswer || s.last_message_at + r.noAnswer.afterMs > now) continue;
    const text = r.noAnswer.text;
    await step(s, async (trx) => {
      // Marked first, conditionally: of nodes ticking at once, one tells the customer.
      const marked = await trx.updateTable('ol_sessions').set({ no_answer_at: now }).where('id', '=', s.id).where('no_answer_at', '=', 0).executeTakeFirst();
      const chat = Number(marked.numUpdatedRows) === 1 ? await findChat(trx, s.chat_id) : undefined;
      if (chat) await tellCustomer(portal, trx, chat, text);
    });
  }

  const open = await db.selectFrom('ol_sessions').selectAll().where('stage', '=', 'operator').where('pinned', '=', 0).orderBy('last_message_at').limit(BATCH).execute();
  for (const s of open) {
    const r = await routing(s.line_id);
    if (!r?.autoCloseMs || s.last_message_at + r.autoCloseMs > now) continue;
    await step(s, (trx) => finish(portal, trx, s, undefined, 'auto'));
  }
}

/** Start the line timers; the function returned stops them, waiting for a tick under way. */
export function startLineTimers(portal: Portal): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= tick(portal).catch((err) => portal.log.error({ err, component: 'lines' }, 'line timers failed')).finally(() => (running = undefined));
  }, portal.config.linesTickMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
