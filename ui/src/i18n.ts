/**
 * Russian and English UI strings. The language follows the browser until the user picks one, and
 * the choice is remembered in localStorage. `t('key', {n: 2})` fills `{n}` placeholders.
 */
import { ref } from 'vue';

export type Lang = 'en' | 'ru';

const en = {
  appName: 'Parley', signIn: 'Sign in', login: 'Login', password: 'Password', wrongLogin: 'Wrong login or password',
  tooManyAttempts: 'Too many failed sign-ins. Try again later.', signInBusy: 'The portal is busy. Try again in a moment.',
  signOut: 'Sign out', search: 'Search people, chats and messages', searchShort: 'Type at least 3 characters',
  nothingFound: 'Nothing found', people: 'People', chats: 'Chats', pinned: 'Pinned', recent: 'Recent',
  noDialogs: 'No conversations yet. Find someone above.', pickDialog: 'Choose a conversation',
  typeMessage: 'Write a message…', send: 'Send', editing: 'Editing message', replyingTo: 'Reply to {name}',
  cancel: 'Cancel', save: 'Save', edited: 'edited', deleted: 'Message deleted', loadingOlder: 'Loading earlier messages…',
  typing: '{name} is typing…', typingMany: '{n} people are typing…', offline: 'Connection lost. Reconnecting…',
  offlineNetwork: 'You’re offline — messages will be sent when the connection returns', loading: 'Loading…',
  reply: 'Reply', quote: 'Quote', edit: 'Edit', delete: 'Delete', like: 'Like', copy: 'Copy text',
  pin: 'Pin', unpin: 'Unpin', back: 'Back', today: 'Today', yesterday: 'Yesterday', members: '{n} members',
  bot: 'bot', openChat: 'open chat', groupChat: 'group chat', messageActions: 'Message actions', unread: '{n} unread',
  system: 'System message', copied: 'Copied', commands: 'Commands', language: 'Language',
  deleteConfirm: 'Delete this message?', file: 'File', you: 'You', likes: 'Liked by {n}', notAllowed: 'Not available here',
  commandSent: 'Sent to the bot', replyTo: 'In reply to',
};
type Key = keyof typeof en;

const ru: Record<Key, string> = {
  appName: 'Parley', signIn: 'Войти', login: 'Логин', password: 'Пароль', wrongLogin: 'Неверный логин или пароль',
  tooManyAttempts: 'Слишком много неудачных попыток входа. Попробуйте позже.', signInBusy: 'Портал занят. Попробуйте чуть позже.',
  signOut: 'Выйти', search: 'Поиск людей, чатов и сообщений', searchShort: 'Введите хотя бы 3 символа',
  nothingFound: 'Ничего не найдено', people: 'Люди', chats: 'Чаты', pinned: 'Закреплённые', recent: 'Недавние',
  noDialogs: 'Пока нет диалогов. Найдите собеседника выше.', pickDialog: 'Выберите диалог',
  typeMessage: 'Напишите сообщение…', send: 'Отправить', editing: 'Редактирование', replyingTo: 'Ответ для {name}',
  cancel: 'Отмена', save: 'Сохранить', edited: 'изменено', deleted: 'Сообщение удалено', loadingOlder: 'Загрузка ранних сообщений…',
  typing: '{name} печатает…', typingMany: 'Печатают: {n}', offline: 'Нет связи. Переподключение…',
  offlineNetwork: 'Нет подключения к сети — сообщения отправятся, когда связь вернётся', loading: 'Загрузка…',
  reply: 'Ответить', quote: 'Цитировать', edit: 'Изменить', delete: 'Удалить', like: 'Нравится', copy: 'Копировать текст',
  pin: 'Закрепить', unpin: 'Открепить', back: 'Назад', today: 'Сегодня', yesterday: 'Вчера', members: 'Участников: {n}',
  bot: 'бот', openChat: 'открытый чат', groupChat: 'групповой чат', messageActions: 'Действия с сообщением', unread: 'Непрочитанных: {n}',
  system: 'Системное сообщение', copied: 'Скопировано', commands: 'Команды', language: 'Язык',
  deleteConfirm: 'Удалить это сообщение?', file: 'Файл', you: 'Вы', likes: 'Нравится: {n}', notAllowed: 'Здесь недоступно',
  commandSent: 'Отправлено боту', replyTo: 'В ответ на',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ru };

function initial(): Lang {
  const saved = localStorage.getItem('parley.lang');
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The UI language (reactive). */
export const lang = ref<Lang>(initial());

/** Switch and remember the language. */
export function setLang(l: Lang): void {
  lang.value = l;
  localStorage.setItem('parley.lang', l);
  document.documentElement.lang = l;
}
document.documentElement.lang = lang.value;

/** Fill `{name}` placeholders. */
const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

/** A UI string in the current language. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return fill(dictionaries[lang.value][key], vars);
}

/**
 * A feature's own strings (the notifications panel, the developer console, …), kept in its own file
 * so features do not all edit this one: `const tx = strings({ en: {...}, ru: {...} })`, then
 * `tx('key')`. Russian must have every English key (the type says so).
 */
export function strings<K extends string>(dict: { en: Record<K, string>; ru: Record<K, string> }) {
  return (key: K, vars: Record<string, string | number> = {}): string => fill(dict[lang.value][key], vars);
}

/** A time of day in the current language. */
export function timeOf(iso: string): string {
  return new Date(iso).toLocaleTimeString(lang.value, { hour: '2-digit', minute: '2-digit' });
}

/** A day heading: today, yesterday, or the date. */
export function dayOf(iso: string): string {
  const d = new Date(iso);
  const start = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((start(new Date()) - start(d)) / 86400_000);
  if (diff === 0) return t('today');
  if (diff === 1) return t('yesterday');
  return d.toLocaleDateString(lang.value, { day: 'numeric', month: 'long', year: 'numeric' });
}
