/** The notification centre's strings, Russian and English (kept here, not in the shared dictionary). */
import { strings } from '../i18n.ts';

/** A string of the notification centre in the current language. */
export const tn = strings({
  en: {
    title: 'Notifications', bell: 'Notifications', bellUnread: 'Notifications, {n} unread', close: 'Close',
    markAll: 'Mark all as read', markRead: 'Mark as read', remove: 'Delete', empty: 'No notifications',
    more: 'Show earlier', loading: 'Loading…', system: 'System', unread: 'Unread',
    answerLabel: 'Quick answer', answerPlaceholder: 'Write an answer…', send: 'Send',
    yourAnswer: 'Your answer: {text}', chosen: 'You chose: {text}',
  },
  ru: {
    title: 'Уведомления', bell: 'Уведомления', bellUnread: 'Уведомления, непрочитанных: {n}', close: 'Закрыть',
    markAll: 'Прочитать все', markRead: 'Отметить прочитанным', remove: 'Удалить', empty: 'Уведомлений нет',
    more: 'Показать ранние', loading: 'Загрузка…', system: 'Система', unread: 'Не прочитано',
    answerLabel: 'Быстрый ответ', answerPlaceholder: 'Напишите ответ…', send: 'Отправить',
    yourAnswer: 'Ваш ответ: {text}', chosen: 'Ваш выбор: {text}',
  },
});
