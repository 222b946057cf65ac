/**
 * How a line session moves (docs/OPEN-LINES.md): started with the line's welcome and bot, passed to
 * the queue, offered to operators as the queue type says, taken, skipped, transferred, finished.
 * Every step is a conditional update of the session row (sessions.ts moveSession) inside the
 * caller's action, so a timer on one node and a person on another never both apply one; a step
 * that finds the session already moved does nothing and answers false.
 */
import type { Db } from '../../store/db.ts';
import type { Portal } from '../../portal.ts';
import type { Chat, User } from '../types.ts';
import { systemLines } from '../system-lines.ts';
import { findChat } from '../chats.ts';
import { postSystemMessage } from '../messages.ts';
import { findUser, findUsers } from '../users.ts';
import { routingOf, settingsOf, type Line, type Routing } from './config.ts';
import { findLine, operatorsOf } from './lines.ts';
import { outsideWorktime } from './worktime.ts';
import { findSession, ids, lastSession, moveSession, openCountByOperator, STATUS, type Session } from './sessions.ts';
import { enterLineChat, leaveLineChat } from './chat-members.ts';
import { tellCustomer } from './outgoing.ts';
import { tellSession } from './line-events.ts';

/** An operator counts as available (CHECK_AVAILABLE=Y) who used the portal this recently and is not away. */
const AVAILABLE_WITHIN_MS = 15 * 60_000;

/** What a step needs about its session: the line (its routing), the chat and the customer. */
interface Scene { line: Line; routing: Routing; chat: Chat; customer: User }

async function sceneOf(db: Db, s: Session): Promise<Scene | undefined> {
  const [line, chat, customer] = await Promise.all([findLine(db, s.line_id), findChat(db, s.chat_id), findUser(db, s.customer_id)]);
  if (!line || !chat || !customer) return undefined;
  return { line, routing: routingOf(settingsOf(line)), chat, customer };
}

/** `entity_data_1` of a line chat: no CRM binding, the session id (field 6), the chat's creation in Unix seconds. */
export const entityData1 = (sessionId: number, chatCreatedAt: number) => `N|NONE|0|N|N|${sessionId}|${Math.floor(chatCreatedAt / 1000)}|0|0|0`;

/**
 * Start a session in a line chat: the welcome (first session, or each with SEND_WELCOME_EACH_SESSION),
 * then the line's bot when it has one (WELCOME_BOT_JOIN: every session, or only the customer's
 * first), else the queue. `quiet`: an operator started it by hand (session.start): no welcome, no bot, no offer.
 * Answers the new session.
 */
export async function startSession(portal: Portal, db: Db, line: Line, chat: Chat, customer: User, opts: { quiet?: boolean } = {}): Promise<Session> {
  const previous = await lastSession(db, chat.id);
  const now = Date.now();
  const row = await db.insertInto('ol_sessions').values({
    line_id: line.id, chat_id: chat.id, customer_id: customer.id, stage: 'queue', status: STATUS.NEW, operator_id: 0, bot_id: 0,
    offered: '[]', skipped: '[]', parent_id: previous?.id ?? 0, pinned: 0, spam: 0, vote: '', vote_head: 0, comment_head: '',
    offered_at: now, bot_until: 0, created_at: now, answered_at: 0, closed_at: 0, last_message_at: now, no_answer_at: 0,
  }).returningAll().executeTakeFirstOrThrow();
  await db.updateTable('chats').set({ entity_data_1: entityData1(row.id, chat.created_at), owner_id: 0 }).where('id', '=', chat.id).execute();
  const fresh = { ...chat, entity_data_1: entityData1(row.id, chat.created_at), owner_id: 0 };
  const routing = routingOf(settingsOf(line));
  if (opts.quiet) {
    await tellSession(db, row, 'start');
    return row;
  }
  if (routing.welcome && (!previous || routing.welcomeEachSession)) await tellCustomer(portal, db, fresh, routing.welcome);
  // Outside working hours the customer is told so; the session still goes on (operators answer later).
  if (routing.dayoffText && outsideWorktime(settingsOf(line), new Date(now))) await tellCustomer(portal, db, fresh, routing.dayoffText);
  const bot = routing.bot && (routing.bot.join === 'always' || !previous) ? await findUser(db, routing.bot.id) : undefined;
  if (bot?.is_bot) {
    const until = routing.bot!.timeMs ? now + routing.bot!.timeMs : 0;
    await db.updateTable('ol_sessions').set({ stage: 'bot', operator_id: bot.id, bot_id: bot.id, bot_until: until }).where('id', '=', row.id).execute();
    await enterLineChat(portal, db, fresh, bot, customer);
  } else {
    await distribute(portal, db, row);
  }
  await tellSession(db, row, 'start');
  return (await findSession(db, row.id))!;
}

/**
 * The bot hands the session to the queue (its time is up, the customer sent "0", or it called
 * imopenlines.bot.session.operator). The bot leaves now unless WELCOME_BOT_LEFT=close keeps it to the end.
 */
export async function botToQueue(portal: Portal, db: Db, s: Session): Promise<boolean> {
  if (!(await moveSession(db, s, { stage: 'bot' }, { stage: 'queue', status: STATUS.WAITING, operator_id: 0, bot_until: 0 }))) return false;
  const scene = await sceneOf(db, s);
  if (!scene) return true;
  const bot = s.bot_id ? await findUser(db, s.bot_id) : undefined;
  if (bot && scene.routing.bot?.left !== 'close') await leaveLineChat(portal, db, scene.chat, bot);
  await distribute(portal, db, { ...s, stage: 'queue', status: STATUS.WAITING, operator_id: 0 });
  return true;
}

/** Whether an operator counts as available now (CHECK_AVAILABLE=Y): not idle, not dnd/away/on a break, active lately. */
export const availableNow = (u: User, now: number): boolean =>
  !u.idle_at && !['dnd', 'away', 'break'].includes(u.status) && now - (u.last_activity_at ?? 0) < AVAILABLE_WITHIN_MS;

/** Operators the session may be offered to now: the line's, minus those who passed on it, available, under MAX_CHAT. */
async function candidates(db: Db, s: Session, routing: Routing): Promise<{ ids: number[]; load: Map<number, number> }> {
  const skipped = new Set(ids(s.skipped));
  let pool = (await operatorsOf(db, s.line_id)).filter((id) => !skipped.has(id));
  if (routing.checkAvailable) {
    const users = await findUsers(db, pool);
    const now = Date.now();
    pool = pool.filter((id) => {
      const u = users.get(id);
      return u && availableNow(u, now);
    });
  }
  const load = await openCountByOperator(db, pool);
  if (routing.maxChat) pool = pool.filter((id) => (load.get(id) ?? 0) < routing.maxChat);
  return { ids: pool, load };
}

/**
 * Offer a queued session: to the first available operator in queue order (`strictly`), to the one
 * with the fewest open sessions (`evenly`), or to all of them (`all`). With nobody available it
 * waits (status 5) until an operator is freed or the queue timer tries again.
 */
export async function distribute(portal: Portal, db: Db, s: Session): Promise<boolean> {
  const scene = await sceneOf(db, s);
  if (!scene || s.stage !== 'queue') return false;
  const { ids: pool, load } = await candidates(db, s, scene.routing);
  const type = scene.routing.queueType;
  const chosen = type === 'all' ? pool
    : type === 'evenly' ? pool.slice().sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0)).slice(0, 1)
      : pool.slice(0, 1);
  const now = Date.now();
  const expected = { stage: 'queue', status: s.status, operator: s.operator_id };
  if (!chosen.length) return moveSession(db, s, expected, { status: STATUS.WAITING, operator_id: 0, offered: '[]', offered_at: now });
  if (!(await moveSession(db, s, expected, { status: STATUS.NEW, operator_id: chosen.length === 1 ? chosen[0] : 0, offered: JSON.stringify(chosen), offered_at: now }))) return false;
  const people = await findUsers(db, chosen);
  for (const id of chosen) await enterLineChat(portal, db, scene.chat, people.get(id)!, scene.customer);
  return true;
}

/** Offer the line's waiting sessions again, oldest first (an operator was freed, or a new round begins). */
export async function offerWaiting(portal: Portal, db: Db, lineId: number): Promise<void> {
  const waiting = await db.selectFrom('ol_sessions').selectAll().where('line_id', '=', lineId).where('stage', '=', 'queue')
    .where('status', '=', STATUS.WAITING).orderBy('id').limit(100).execute();
  for (const s of waiting) await distribute(portal, db, s);
}

/**
 * `operator` takes the session (imopenlines.operator.answer, or their first message in it): from the
 * queue, or from the bot. The other operators it was offered to leave, and so does the bot unless
 * WELCOME_BOT_LEFT=close keeps it.
 */
export async function answer(portal: Portal, db: Db, s: Session, operator: User): Promise<boolean> {
  if (s.stage === 'operator' && s.operator_id === operator.id) return true;
  if (s.stage !== 'queue' && s.stage !== 'bot') return false;
  const now = Date.now();
  if (!(await moveSession(db, s, { stage: s.stage, status: s.status, operator: s.operator_id }, {
    stage: 'operator', status: STATUS.ANSWER, operator_id: operator.id, offered: '[]', bot_until: 0, answered_at: now, last_message_at: now,
  }))) return false;
  const scene = await sceneOf(db, s);
  if (!scene) return true;
  await db.updateTable('chats').set({ owner_id: operator.id }).where('id', '=', s.chat_id).execute();
  await enterLineChat(portal, db, scene.chat, operator, scene.customer);
  const others = ids(s.offered).filter((id) => id !== operator.id);
  const leaving = await findUsers(db, others);
  for (const u of leaving.values()) await leaveLineChat(portal, db, scene.chat, u);
  const bot = s.bot_id ? await findUser(db, s.bot_id) : undefined;
  if (bot && scene.routing.bot?.left !== 'close') await leaveLineChat(portal, db, scene.chat, bot);
  await postSystemMessage(portal, db, scene.chat, systemLines.lineTook(operator));
  return true;
}

/**
 * `operatorId` passes on the session (imopenlines.operator.skip, or QUEUE_TIME ran out): they leave,
 * and when nobody it was offered to is left it goes to the next operator.
 */
export async function skip(portal: Portal, db: Db, s: Session, operatorId: number): Promise<boolean> {
  const holds = (s.stage === 'queue' && ids(s.offered).includes(operatorId)) || (s.stage === 'operator' && s.operator_id === operatorId);
  if (!holds) return false;
  const offered = ids(s.offered).filter((id) => id !== operatorId);
  const skipped = [...new Set([...ids(s.skipped), operatorId])];
  const set = { stage: 'queue', status: offered.length ? STATUS.NEW : STATUS.WAITING, operator_id: offered.length === 1 ? offered[0] : 0, offered: JSON.stringify(offered), skipped: JSON.stringify(skipped) };
  if (!(await moveSession(db, s, { stage: s.stage, status: s.status, operator: s.operator_id }, set))) return false;
  const scene = await sceneOf(db, s);
  const operator = await findUser(db, operatorId);
  if (scene && operator) await leaveLineChat(portal, db, scene.chat, operator);
  if (!offered.length) await distribute(portal, db, { ...s, ...set });
  return true;
}

/** Where a session is transferred: an operator (offered to them alone) or another line's queue. */
export type TransferTarget = { userId: number } | { lineId: number };

/**
 * Transfer the session (imopenlines.operator.transfer, imopenlines.bot.session.transfer). Whoever
 * has it now leaves — a bot only when `botLeaves` (LEAVE=Y), otherwise once an operator answers.
 */
export async function transfer(portal: Portal, db: Db, s: Session, actor: User, to: TransferTarget, botLeaves = true): Promise<boolean> {
  if (s.stage === 'closed') return false;
  const scene = await sceneOf(db, s);
  if (!scene) return false;
  const toLine = 'lineId' in to ? await findLine(db, to.lineId) : undefined;
  const toUser = 'userId' in to ? await findUser(db, to.userId) : undefined;
  const now = Date.now();
  const set = toUser
    ? { stage: 'queue', status: STATUS.NEW, operator_id: toUser.id, offered: JSON.stringify([toUser.id]), skipped: '[]', offered_at: now, bot_until: 0 }
    : { stage: 'queue', status: STATUS.WAITING, operator_id: 0, offered: '[]', skipped: '[]', offered_at: now, bot_until: 0, line_id: toLine!.id };
  if (!(await moveSession(db, s, { stage: s.stage, status: s.status, operator: s.operator_id }, set))) return false;
  const holders = [...new Set([s.operator_id, ...ids(s.offered)])].filter((id) => id && id !== toUser?.id && (id !== s.bot_id || botLeaves));
  for (const u of (await findUsers(db, holders)).values()) await leaveLineChat(portal, db, scene.chat, u);
  let chat = scene.chat;
  if (toLine) {
    // The chat's USER_CODE names its line: connector|line|chat|user.
    const parts = chat.entity_id.split('|');
    if (parts.length === 4) parts[1] = String(toLine.id);
    await db.updateTable('chats').set({ entity_id: parts.join('|'), owner_id: 0 }).where('id', '=', chat.id).execute();
    chat = { ...chat, entity_id: parts.join('|'), owner_id: 0 };
  }
  await postSystemMessage(portal, db, chat, toUser ? systemLines.lineToUser(actor, toUser) : systemLines.lineToLine(actor, toLine!.name));
  if (toUser) await enterLineChat(portal, db, chat, toUser, scene.customer);
  else await distribute(portal, db, { ...s, ...set });
  return true;
}

/**
 * A line bot hands its session to another open-line bot (imopenlines.bot.session.transfer naming a
 * TYPE=O or OPENLINE=Y bot, the seed's ITR "transfer to bot"): the other bot joins and has it, with
 * the line's WELCOME_BOT_TIME from now; the first bot leaves when `leaves` (LEAVE=Y).
 */
export async function handToBot(portal: Portal, db: Db, s: Session, from: User, to: User, leaves: boolean): Promise<boolean> {
  const scene = await sceneOf(db, s);
  if (!scene || s.stage !== 'bot' || s.operator_id === to.id) return false;
  const timeMs = scene.routing.bot?.timeMs ?? 0;
  if (!(await moveSession(db, s, { stage: 'bot', operator: s.operator_id }, { operator_id: to.id, bot_id: to.id, bot_until: timeMs ? Date.now() + timeMs : 0 }))) return false;
  await postSystemMessage(portal, db, scene.chat, systemLines.lineToUser(from, to));
  await enterLineChat(portal, db, scene.chat, to, scene.customer);
  if (leaves) await leaveLineChat(portal, db, scene.chat, from);
  return true;
}

/** How a session ends. */
export type Ending = 'finish' | 'spam' | 'auto';

/**
 * Close the session (operator.finish / another.finish / spam, bot.session.finish, auto-close): the
 * operators it was only offered to and the bot leave, the customer gets the close text (or the
 * auto-close text) and the rating request, and the line's waiting sessions are offered again.
 */
export async function finish(portal: Portal, db: Db, s: Session, actor: User | undefined, how: Ending): Promise<boolean> {
  if (s.stage === 'closed') return false;
  const asking = how !== 'spam';
  const scene = await sceneOf(db, s);
  const vote = asking && scene?.routing.vote ? 'asked' : '';
  if (!(await moveSession(db, s, { stage: s.stage, status: s.status, operator: s.operator_id }, {
    stage: 'closed', status: how === 'spam' ? STATUS.SPAM : STATUS.CLOSED, closed_at: Date.now(), spam: how === 'spam' ? 1 : 0, offered: '[]', bot_until: 0, vote,
  }))) return false;
  await tellSession(db, s, 'finish');
  if (!scene) return true;
  const leaving = [...ids(s.offered), s.bot_id].filter((id) => id && id !== s.operator_id);
  if (s.stage === 'bot') leaving.push(s.operator_id);
  for (const u of (await findUsers(db, [...new Set(leaving)])).values()) await leaveLineChat(portal, db, scene.chat, u);
  await postSystemMessage(portal, db, scene.chat, systemLines.lineFinished(actor, how));
  const text = how === 'auto' ? scene.routing.autoCloseText : how === 'finish' ? scene.routing.closeText : undefined;
  if (text) await tellCustomer(portal, db, scene.chat, text);
  if (vote) await tellCustomer(portal, db, scene.chat, scene.routing.vote!.text);
  await offerWaiting(portal, db, s.line_id);
  return true;
}

/** Whether a customer's message answers the rating request of their closed session ("1" good, "0" bad). */
export const isVoteAnswer = (s: Session, text: string) => s.stage === 'closed' && s.vote === 'asked' && ['1', '0'].includes(text.trim());

/** Record the customer's rating (after their message was posted) and thank them; false when it is not one. */
export async function takeVote(portal: Portal, db: Db, s: Session, text: string): Promise<boolean> {
  if (!isVoteAnswer(s, text)) return false;
  const vote = text.trim() === '1' ? 'like' : 'dislike';
  if (!(await moveSession(db, s, { stage: 'closed' }, { vote }))) return false;
  const scene = await sceneOf(db, s);
  const reply = scene?.routing.vote ? (vote === 'like' ? scene.routing.vote.like : scene.routing.vote.dislike) : '';
  if (scene && reply) await tellCustomer(portal, db, scene.chat, reply);
  return true;
}

/** What the customer's message changes: "0" hands the bot's session to the queue; whose turn it is. */
export async function customerWrote(portal: Portal, db: Db, s: Session, text: string): Promise<void> {
  if (s.stage === 'bot' && text.trim() === '0') {
    await botToQueue(portal, db, s);
    return;
  }
  const status = s.stage !== 'operator' ? s.status : s.status === STATUS.OPERATOR ? STATUS.CLIENT_AFTER_OPERATOR : STATUS.CLIENT;
  await moveSession(db, s, { stage: s.stage }, { status, last_message_at: Date.now() });
}

/**
 * What an operator's message in the chat changes: the first one of an operator it is offered to
 * (or of any of the line's operators while it waits) takes it; then it is the customer's turn.
 */
export async function operatorWrote(portal: Portal, db: Db, s: Session, author: User): Promise<void> {
  if (s.stage === 'queue' || s.stage === 'bot') {
    const mayTake = ids(s.offered).includes(author.id) || (await operatorsOf(db, s.line_id)).includes(author.id);
    if (!mayTake || !(await answer(portal, db, s, author))) return;
    s = { ...s, stage: 'operator', status: STATUS.ANSWER, operator_id: author.id };
  }
  if (s.stage === 'operator') await moveSession(db, s, { stage: 'operator' }, { status: STATUS.OPERATOR, last_message_at: Date.now() });
}

/**
 * `operator` takes over a session another operator has (imopenlines.session.intercept): the other
 * leaves, the session is theirs from now on. Only a session in the operator stage held by someone
 * else can be intercepted (a queued one is simply answered).
 */
export async function intercept(portal: Portal, db: Db, s: Session, operator: User): Promise<boolean> {
  if (s.stage !== 'operator' || !s.operator_id || s.operator_id === operator.id) return false;
  if (!(await moveSession(db, s, { stage: 'operator', operator: s.operator_id }, { operator_id: operator.id, pinned: 0 }))) return false;
  const scene = await sceneOf(db, s);
  if (!scene) return true;
  await db.updateTable('chats').set({ owner_id: operator.id }).where('id', '=', s.chat_id).execute();
  const previous = await findUser(db, s.operator_id);
  await enterLineChat(portal, db, scene.chat, operator, scene.customer);
  await postSystemMessage(portal, db, scene.chat, systemLines.lineIntercepted(operator, previous));
  if (previous) await leaveLineChat(portal, db, scene.chat, previous);
  return true;
}
