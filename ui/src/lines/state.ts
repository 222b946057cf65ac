/**
 * The operator's workspace: the open-line conversations the signed-in user is in (im.recent.get
 * ONLY_OPENLINES=Y, each with its session `lines: {id, status, date_create}`), sorted into waiting,
 * in progress and finished; the lines of the portal (imopenlines.config.list.get with their queues),
 * and the actions on a session (imopenlines.operator.*). It stays fresh on the same pushes as the
 * recent list: an operator is added to a line chat with a system line ("… joined the conversation")
 * whose message.add reaches them, and a customer's message is a message.add of a chat they are in.
 */
import { computed, ref, watch } from 'vue';
import { call } from '../api.ts';
import { me, notify, onPush, rememberUsers, report } from '../store.ts';
import type { RecentItem, WireChat } from '../types.ts';
import { tl } from './strings.ts';

/** Bitrix24's session status codes as `lines.status` carries them (docs/OPEN-LINES.md). */
export const STATUS = { NEW: 0, WAITING: 5, ANSWER: 10, CLIENT: 20, CLIENT_AFTER_OPERATOR: 25, OPERATOR: 40, CLOSED: 60, SPAM: 65 } as const;

/** Where a conversation is for the operator: waiting for someone to answer, being handled, or over. */
export type Phase = 'waiting' | 'active' | 'closed';

/** A line of the portal: its id, name and operators (the queue with departments expanded). */
export interface LineInfo { id: number; name: string; queue: number[] }

/** The open-line conversations of the signed-in user, newest first. */
export const lineItems = ref<RecentItem[]>([]);
/** The portal's lines (for names, transfers, and whether the user is an operator at all). */
export const lines = ref<LineInfo[]>([]);
/** Unread messages in open lines (im.counters.get TYPE.LINES). */
export const linesUnread = ref(0);
/** Whether lineItems has been loaded since sign-in (until then a chat missing from it says nothing). */
export const linesLoaded = ref(false);

/** Whether a chat object (im.dialog.get, a recent item's chat) is an open-line chat. */
export const isLineChat = (chat: Pick<WireChat, 'type'> & { entity_type?: string } | null | undefined): boolean =>
  !!chat && (chat.type === 'lines' || chat.entity_type === 'LINES');

/** The parts of a line chat's USER_CODE: connector (the channel), line id, the connector's chat, the customer's user id. */
export function userCode(entityId: string | undefined): { connector: string; lineId: number; customerId: number } {
  const [connector = '', line = '0', , user = '0'] = (entityId ?? '').split('|');
  return { connector, lineId: Number(line) || 0, customerId: Number(user) || 0 };
}

/** A session's status code: the recent item's `lines.status`; without it, taken when the chat has an owner. */
export function statusOf(item: RecentItem | undefined): number {
  if (item?.lines && typeof item.lines.status === 'number') return item.lines.status;
  return item?.chat?.owner ? STATUS.ANSWER : STATUS.NEW;
}

/** The phase of a status code. */
export const phaseOf = (status: number): Phase => (status >= STATUS.CLOSED ? 'closed' : status < STATUS.ANSWER ? 'waiting' : 'active');

/** The state in words. */
export function statusText(status: number): string {
  switch (status) {
    case STATUS.NEW: return tl('stNew');
    case STATUS.WAITING: return tl('stQueue');
    case STATUS.ANSWER: return tl('stAnswered');
    case STATUS.CLIENT: case STATUS.CLIENT_AFTER_OPERATOR: return tl('stClient');
    case STATUS.OPERATOR: return tl('stOperator');
    case STATUS.SPAM: return tl('stSpam');
    default: return status >= STATUS.CLOSED ? tl('stClosed') : tl('stAnswered');
  }
}

const inPhase = (phase: Phase) => computed(() => lineItems.value.filter((i) => phaseOf(statusOf(i)) === phase));
/** Sessions waiting for an answer (offered to the user, or waiting in a queue of theirs). */
export const waitingItems = inPhase('waiting');
/** Sessions being handled. */
export const activeItems = inPhase('active');
/** Finished sessions still in the user's list. */
export const closedItems = inPhase('closed');

/** Whether the user works in open lines: in a line's queue, or in a line chat. */
export const isOperator = computed(() => lineItems.value.length > 0 || lines.value.some((l) => l.queue.includes(me.value?.id ?? -1)));

/** The recent item of a chat, when it is one of the user's line chats. */
export const itemOf = (chatId: number) => lineItems.value.find((i) => i.chat_id === chatId);

let seq = 0;
/** Reload the user's line conversations and the LINES counter. */
export async function loadLines(): Promise<void> {
  const mine = ++seq;
  const [items, counters] = await Promise.all([
    call<RecentItem[]>('im.recent.get', { ONLY_OPENLINES: 'Y' }),
    call<{ TYPE: { LINES?: number } }>('im.counters.get'),
  ]);
  if (mine !== seq) return;
  // Only line chats, whatever else a portal might add to the answer.
  lineItems.value = items.filter((i) => isLineChat(i.chat as WireChat | undefined));
  rememberUsers(lineItems.value.map((i) => i.user));
  linesLoaded.value = true;
  linesUnread.value = Number(counters.TYPE.LINES ?? 0) || 0;
}

interface ListedLine { ID: string | number; LINE_NAME: string; QUEUE?: (string | number)[] }
/** Reload the portal's lines with their operators. */
export async function loadLineList(): Promise<void> {
  const list = await call<ListedLine[]>('imopenlines.config.list.get', { PARAMS: { select: ['ID', 'LINE_NAME'] }, OPTIONS: { QUEUE: 'Y' } });
  lines.value = list.map((l) => ({ id: Number(l.ID), name: String(l.LINE_NAME ?? ''), queue: (l.QUEUE ?? []).map(Number) }));
}

let timer: ReturnType<typeof setTimeout> | undefined;
/** Reload soon, once for a burst of pushes. */
export function refreshLinesSoon(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void loadLines().catch(() => {}), 150);
}

onPush((p) => {
  if (p.type.startsWith('message.') || p.type.startsWith('chat.') || p.type === 'counters' || p.type === 'resync' || p.type === 'dialog.read') refreshLinesSoon();
});

// Signed in: load; signed out: forget.
watch(me, (user) => {
  if (user) {
    void loadLines().catch(() => {});
    void loadLineList().catch(() => {});
  } else {
    lineItems.value = [];
    lines.value = [];
    linesUnread.value = 0;
    linesLoaded.value = false;
  }
}, { immediate: true });

/** What an operator does with a session; each is its imopenlines.operator.* method with CHAT_ID. */
export type SessionAction = 'answer' | 'skip' | 'finish' | 'another.finish' | 'spam' | 'intercept';

const METHOD: Record<SessionAction, string> = {
  answer: 'imopenlines.operator.answer', skip: 'imopenlines.operator.skip', finish: 'imopenlines.operator.finish',
  'another.finish': 'imopenlines.operator.another.finish', spam: 'imopenlines.operator.spam', intercept: 'imopenlines.session.intercept',
};
const DONE: Partial<Record<SessionAction, Parameters<typeof tl>[0]>> = {
  answer: 'answered', intercept: 'answered', skip: 'skipped', finish: 'finishedToast', 'another.finish': 'finishedToast', spam: 'spamToast',
};

/** Run an action on a line chat's session; false (after showing the portal's refusal) when it failed. */
export async function act(action: SessionAction, chatId: number): Promise<boolean> {
  try {
    await call(METHOD[action], { CHAT_ID: chatId });
    const done = DONE[action];
    if (done) notify(tl(done));
    await loadLines();
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}

/** Transfer a line chat's session to an operator (`15`) or to a line's queue (`queue3`), as TRANSFER_ID names them. */
export async function transferTo(chatId: number, target: { userId: number } | { lineId: number }, name: string): Promise<boolean> {
  try {
    await call('imopenlines.operator.transfer', { CHAT_ID: chatId, TRANSFER_ID: 'userId' in target ? String(target.userId) : `queue${target.lineId}` });
    notify(tl('transferred', { name }));
    await loadLines();
    return true;
  } catch (err) {
    report(err);
    return false;
  }
}
