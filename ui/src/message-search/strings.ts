/** Strings of the message search in the sidebar, kept out of the shared dictionary. */
import { strings } from '../i18n.ts';

export const tm = strings({
  en: {
    messages: 'Messages', inChat: 'Chat', anyChat: 'All chats', byAuthor: 'Author', anyAuthor: 'Anyone', me: 'Me',
    more: 'Show more', noMessages: 'No messages found', searching: 'Searching messages…',
  },
  ru: {
    messages: 'Сообщения', inChat: 'Чат', anyChat: 'Все чаты', byAuthor: 'Автор', anyAuthor: 'Кто угодно', me: 'Я',
    more: 'Показать ещё', noMessages: 'Сообщения не найдены', searching: 'Ищем сообщения…',
  },
});
