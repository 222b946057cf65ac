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
    mentionedIn: 'Mentioned you in the chat “{chat}”', mentionedInF: 'Mentioned you in the chat “{chat}”',
    mentionedYouIn: '{name} mentioned you in “{chat}”', mentionedYouInF: '{name} mentioned you in “{chat}”',
    promptText: 'Get a desktop notification when a message arrives while Parley is in the background?',
    promptOn: 'Turn on', promptLater: 'Not now', settings: 'Alerts', desktop: 'Desktop notifications', sound: 'Sound for new messages',
    denied: 'Blocked in the browser’s site settings', unsupported: 'Not supported by this browser',
  },
  ru: {
    title: 'Уведомления', bell: 'Уведомления', bellUnread: 'Уведомления, непрочитанных: {n}', close: 'Закрыть',
    markAll: 'Прочитать все', markRead: 'Отметить прочитанным', remove: 'Удалить', empty: 'Уведомлений нет',
    more: 'Показать ранние', loading: 'Загрузка…', system: 'Система', unread: 'Не прочитано',
    answerLabel: 'Быстрый ответ', answerPlaceholder: 'Напишите ответ…', send: 'Отправить',
    yourAnswer: 'Ваш ответ: {text}', chosen: 'Ваш выбор: {text}',
    mentionedIn: 'Упомянул вас в чате «{chat}»', mentionedInF: 'Упомянула вас в чате «{chat}»',
    mentionedYouIn: '{name} упомянул вас в «{chat}»', mentionedYouInF: '{name} упомянула вас в «{chat}»',
    promptText: 'Показывать уведомления на рабочем столе, когда приходит сообщение, а Parley в фоне?',
    promptOn: 'Включить', promptLater: 'Не сейчас', settings: 'Оповещения', desktop: 'Уведомления на рабочем столе', sound: 'Звук новых сообщений',
    denied: 'Запрещено в настройках сайта в браузере', unsupported: 'Браузер это не поддерживает',
  },
});
