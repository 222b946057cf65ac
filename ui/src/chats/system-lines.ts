/**
 * System lines in the reader's language. The portal stores them in English for REST clients and
 * gives their kind and facts in PARAMS.COMPONENT_ID / COMPONENT_PARAMS (src/domain/system-lines.ts);
 * the line is worded here from those, people as [USER] mentions with their current names (Russian
 * verbs agree with the person's gender, as Bitrix24 words them). A line of an unknown kind, or
 * written before the portal kept its facts, shows its stored text.
 */
import { lang } from '../i18n.ts';
import { ensureUser, users } from '../store.ts';
import { paramsOf, type WireMessage } from '../types.ts';

const en = {
    'chat.created': '{user} created chat "{title}"', 'chat.joined': '{user} joined the chat',
    'chat.invited': '{user} invited {users} to the chat', 'chat.left': '{user} left the chat',
    'chat.removed': '{user} removed {target} from the chat', 'chat.renamed': '{user} changed the chat title to "{title}"',
    'chat.color': '{user} changed the chat colour', 'chat.avatar': '{user} changed the chat avatar',
    'chat.owner': '{user} is now the chat owner', 'task.fromMessage': '{user} created task #{task} "{title}" from a message',
    'chat.fromMessage': '{user} created chat {chat} from a message',
    'line.joined': '{user} joined the conversation', 'line.left': '{user} left the conversation',
    'line.took': '{user} took the conversation', 'line.transferred': '{user} transferred the conversation to {target}',
    'line.toLine': '{user} transferred the conversation to the line "{line}"',
    'line.intercepted': '{user} intercepted the conversation', 'line.interceptedFrom': '{user} intercepted the conversation from {target}',
    'line.finished': '{user} finished the conversation', 'line.spam': '{user} marked the conversation as spam',
    'line.auto': 'The conversation was closed automatically', theLine: 'The line',
};
type Key = keyof typeof en;
// Russian verbs come in both forms, {created:создал|создала}: the acting person's gender picks one.
const ru: Record<Key, string> = {
    'chat.created': '{user} {created:создал|создала} чат «{title}»', 'chat.joined': '{user} {joined:присоединился|присоединилась} к чату',
    'chat.invited': '{user} {invited:пригласил|пригласила} в чат: {users}', 'chat.left': '{user} {left:покинул|покинула} чат',
    'chat.removed': '{user} {removed:исключил|исключила} из чата: {target}', 'chat.renamed': '{user} {changed:изменил|изменила} название чата на «{title}»',
    'chat.color': '{user} {changed:изменил|изменила} цвет чата', 'chat.avatar': '{user} {changed:изменил|изменила} аватар чата',
    'chat.owner': '{user} теперь владелец чата', 'task.fromMessage': '{user} {created:создал|создала} задачу №{task} «{title}» из сообщения',
    'chat.fromMessage': '{user} {created:создал|создала} чат {chat} из сообщения',
    'line.joined': '{user} {joined:присоединился|присоединилась} к диалогу', 'line.left': '{user} {left:покинул|покинула} диалог',
    'line.took': '{user} {took:взял|взяла} диалог', 'line.transferred': '{user} {passed:передал|передала} диалог: {target}',
    'line.toLine': '{user} {passed:передал|передала} диалог в линию «{line}»',
    'line.intercepted': '{user} {took:перехватил|перехватила} диалог', 'line.interceptedFrom': '{user} {took:перехватил|перехватила} диалог у {target}',
    'line.finished': '{user} {finished:завершил|завершила} диалог', 'line.spam': '{user} {marked:отметил|отметила} диалог как спам',
    'line.auto': 'Диалог закрыт автоматически', theLine: 'Линия',
};
const isKey = (k: string): k is Key => Object.hasOwn(en, k);

interface Person { id: number; name: string }
const isPerson = (x: unknown): x is Person => !!x && typeof x === 'object' && typeof (x as Person).id === 'number';
const text = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');

/** A person as a mention, with the name the portal has now (asked for once when not yet known). */
function person(p: Person): string {
  ensureUser(p.id);
  return `[USER=${p.id}]${users[p.id]?.name ?? p.name}[/USER]`;
}

/** The line's words for `code` with its facts, or null when it is not a kind this UI knows. */
function worded(code: string, f: Record<string, unknown>): string | null {
  let key = code;
  if (code === 'line.transferred' && !isPerson(f.target)) key = 'line.toLine';
  if (code === 'line.intercepted' && isPerson(f.target)) key = 'line.interceptedFrom';
  if (!isKey(key) || key === 'theLine') return null;
  const dict = lang.value === 'ru' ? ru : en;
  const female = isPerson(f.user) && users[f.user.id]?.gender === 'F';
  const chat = f.chat && typeof f.chat === 'object' ? f.chat as { id?: unknown; title?: unknown } : null;
  const vars: Record<string, string> = {
    user: isPerson(f.user) ? person(f.user) : dict.theLine,
    target: isPerson(f.target) ? person(f.target) : '',
    users: Array.isArray(f.users) ? f.users.filter(isPerson).map(person).join(', ') : '',
    title: text(f.title), task: text(f.task), line: text(f.line),
    chat: chat && typeof chat.id === 'number' ? `[CHAT=${chat.id}]${text(chat.title)}[/CHAT]` : '',
  };
  // The verb's form first, then the facts, so nothing in a name or title is taken for a placeholder.
  return dict[key]
    .replace(/\{\w+:([^|{}]*)\|([^{}]*)\}/g, (_, male: string, fem: string) => (female ? fem : male))
    .replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

/** What a system line says, in the current language (BB-code, as message text is). */
export function systemText(m: WireMessage): string {
  const p = paramsOf(m);
  if (typeof p.COMPONENT_ID !== 'string' || !p.COMPONENT_PARAMS || typeof p.COMPONENT_PARAMS !== 'object') return m.text;
  return worded(p.COMPONENT_ID, p.COMPONENT_PARAMS as Record<string, unknown>) ?? m.text;
}
