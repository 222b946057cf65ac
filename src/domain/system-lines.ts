/**
 * System lines ("X created chat T", "X invited Y"): each is stored with its English text, which REST
 * clients and bots read as Bitrix24 gives them a portal's text, and with what it reports as data — a
 * code and its facts (who, which title) — which im.dialog.messages.get shows as PARAMS.COMPONENT_ID
 * and COMPONENT_PARAMS, so the web messenger words the line in its reader's language. A line made
 * without a code (older ones, a quoted message in a line chat) shows its text everywhere.
 */
import { fullName, mention } from '../wire/names.ts';

/** A person as a line names them. */
type Person = { id: number; name: string; last_name: string };

/** What a system line says: its stored text and, when it is one of the kinds below, its code and facts. */
export interface SystemLine { text: string; code?: string; params?: Record<string, unknown> }

/** A person in a line's facts: the id (the UI links and re-reads the name) and the name it had then. */
const who = (u: Person) => ({ id: u.id, name: fullName(u) });

const line = (text: string, code: string, params: Record<string, unknown>): SystemLine => ({ text, code, params });

/** The kinds of system lines, each with its English text. */
export const systemLines = {
  chatCreated: (by: Person, title: string) => line(`${mention(by)} created chat "${title}"`, 'chat.created', { user: who(by), title }),
  chatJoined: (by: Person) => line(`${mention(by)} joined the chat`, 'chat.joined', { user: who(by) }),
  chatInvited: (by: Person, added: Person[]) =>
    line(`${mention(by)} invited ${added.map(mention).join(', ')} to the chat`, 'chat.invited', { user: who(by), users: added.map(who) }),
  chatLeft: (by: Person) => line(`${mention(by)} left the chat`, 'chat.left', { user: who(by) }),
  chatRemoved: (by: Person, target: Person) =>
    line(`${mention(by)} removed ${mention(target)} from the chat`, 'chat.removed', { user: who(by), target: who(target) }),
  chatRenamed: (by: Person, title: string) => line(`${mention(by)} changed the chat title to "${title}"`, 'chat.renamed', { user: who(by), title }),
  chatColor: (by: Person) => line(`${mention(by)} changed the chat colour`, 'chat.color', { user: who(by) }),
  chatAvatar: (by: Person) => line(`${mention(by)} changed the chat avatar`, 'chat.avatar', { user: who(by) }),
  chatOwner: (owner: Person) => line(`${mention(owner)} is now the chat owner`, 'chat.owner', { user: who(owner) }),
  taskFromMessage: (by: Person, taskId: number, title: string) =>
    line(`${mention(by)} created task #${taskId} "${title}" from a message`, 'task.fromMessage', { user: who(by), task: taskId, title }),
  chatFromMessage: (by: Person, chat: { id: number; title: string }) =>
    line(`${mention(by)} created chat [CHAT=${chat.id}]${chat.title}[/CHAT] from a message`, 'chat.fromMessage', { user: who(by), chat: { id: chat.id, title: chat.title } }),
  lineJoined: (by: Person) => line(`${mention(by)} joined the conversation`, 'line.joined', { user: who(by) }),
  lineLeft: (by: Person) => line(`${mention(by)} left the conversation`, 'line.left', { user: who(by) }),
  lineTook: (by: Person) => line(`${mention(by)} took the conversation`, 'line.took', { user: who(by) }),
  lineToUser: (by: Person, to: Person) =>
    line(`${mention(by)} transferred the conversation to ${mention(to)}`, 'line.transferred', { user: who(by), target: who(to) }),
  lineToLine: (by: Person, lineName: string) =>
    line(`${mention(by)} transferred the conversation to the line "${lineName}"`, 'line.transferred', { user: who(by), line: lineName }),
  lineIntercepted: (by: Person, from?: Person) =>
    line(`${mention(by)} intercepted the conversation${from ? ` from ${mention(from)}` : ''}`, 'line.intercepted', { user: who(by), ...(from ? { target: who(from) } : {}) }),
  lineFinished: (by: Person | undefined, how: 'finish' | 'spam' | 'auto') => {
    const name = by ? mention(by) : 'The line';
    const text = how === 'spam' ? `${name} marked the conversation as spam` : how === 'auto' ? 'The conversation was closed automatically' : `${name} finished the conversation`;
    return line(text, `line.${how === 'finish' ? 'finished' : how}`, by ? { user: who(by) } : {});
  },
};

/** A line as given: plain text, or one of the kinds above. */
export const asLine = (l: string | SystemLine): SystemLine => (typeof l === 'string' ? { text: l } : l);
