/** Strings of unsent messages, Russian and English. */
import { strings } from '../i18n.ts';

/** A string of the outbox in the current language. */
export const to = strings({
  en: {
    notSent: 'Not sent', sending: 'Sending…', retry: 'Retry', remove: 'Delete',
    waiting: 'It will be sent when the connection returns.',
  },
  ru: {
    notSent: 'Не отправлено', sending: 'Отправка…', retry: 'Повторить', remove: 'Удалить',
    waiting: 'Отправится, когда связь вернётся.',
  },
});
