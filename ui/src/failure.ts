/**
 * What the user is told when something fails: a sentence in their language for the kind of failure
 * (offline, the portal's own trouble, a bot that refused, no access), and the portal's code and
 * description on a details line beneath — never the raw "Failed to fetch" or "Error: CODE …" alone.
 */
import { RestError, Unreachable } from './api.ts';
import { strings } from './i18n.ts';

const fx = strings({
  en: {
    offline: 'You’re offline. Try again when the connection returns.',
    server: 'The portal could not do this right now. Try again in a moment.',
    busy: 'Too many requests at once. Wait a moment and try again.',
    bot: 'The bot could not take this command.',
    access: 'You don’t have access to this.',
    notFound: 'This is no longer there.',
    other: 'That did not work.',
  },
  ru: {
    offline: 'Нет подключения к сети. Повторите, когда связь вернётся.',
    server: 'Портал сейчас не смог это выполнить. Попробуйте чуть позже.',
    busy: 'Слишком много запросов сразу. Подождите немного и повторите.',
    bot: 'Бот не смог выполнить эту команду.',
    access: 'У вас нет доступа к этому.',
    notFound: 'Этого больше нет.',
    other: 'Не получилось.',
  },
});

/** What a failure is about: a bot's command is told apart, as its refusal is the bot's, not the portal's. */
export type FailureKind = 'action' | 'bot';

/** A failure in words: the sentence shown, and the technical line under it ('' when there is none worth showing). */
export interface Failure { text: string; details: string; offline: boolean }

/** Whether an error means the portal was not reached (the browser is offline, or the server is). */
export const isOffline = (err: unknown): boolean => err instanceof Unreachable || (typeof navigator !== 'undefined' && navigator.onLine === false);

/** Describe an error for the user. */
export function describeFailure(err: unknown, kind: FailureKind = 'action'): Failure {
  if (isOffline(err)) return { text: fx('offline'), details: '', offline: true };
  if (!(err instanceof RestError)) return { text: fx('other'), details: String((err as Error)?.message ?? err ?? ''), offline: false };
  const details = err.message && err.message !== err.code ? `${err.code}: ${err.message}` : err.code;
  const text = kind === 'bot' && err.status < 500 ? fx('bot')
    : err.code === 'QUERY_LIMIT_EXCEEDED' || err.code === 'OPERATION_TIME_LIMIT' || err.status === 429 ? fx('busy')
    : err.status >= 500 || err.code === 'BAD_RESPONSE' ? fx('server')
    : err.status === 403 || /^ACCESS_/.test(err.code) ? fx('access')
    : err.status === 404 || /NOT_FOUND$/.test(err.code) ? fx('notFound')
    : fx('other');
  return { text, details, offline: false };
}
