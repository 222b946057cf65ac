/** Strings of the console's "Send a test event" form (parley.testevent.*), Russian and English. */
import { strings } from '../i18n.ts';

export const tt = strings({
  en: {
    testEvent: 'Send a test event', testHint: 'Fires one event at this app’s handler, built as a real one and marked X-Parley-Test: 1. A message or command is posted for real by the chosen user, and told to this app’s bot only.',
    event: 'Event', bot: 'Bot', user: 'From user', chat: 'Chat ID (optional)', chatHint: 'Empty: the user’s private dialog with the bot',
    text: 'Message text', newText: 'New text (optional)', command: 'Command', params: 'Command parameters', messageId: 'Message ID (optional)',
    messageHint: 'Empty: the user’s newest message in the dialog (it is not changed)', preview: 'Payload that will be sent', send: 'Send test event',
    sent: 'Test event sent: delivery #{id}', openLog: 'Open the event log', noEvents: 'No handlers to test: install the app, or register a bot with handlers',
    previewFailed: 'Cannot build it yet: {error}', testBadge: 'test',
  },
  ru: {
    testEvent: 'Отправить тестовое событие', testHint: 'Отправляет одно событие обработчику приложения — такое же, как настоящее, с пометкой X-Parley-Test: 1. Сообщение или команда по-настоящему публикуются от имени выбранного пользователя и приходят только боту этого приложения.',
    event: 'Событие', bot: 'Бот', user: 'От пользователя', chat: 'ID чата (необязательно)', chatHint: 'Пусто: личный диалог пользователя с ботом',
    text: 'Текст сообщения', newText: 'Новый текст (необязательно)', command: 'Команда', params: 'Параметры команды', messageId: 'ID сообщения (необязательно)',
    messageHint: 'Пусто: последнее сообщение пользователя в диалоге (оно не меняется)', preview: 'Данные, которые будут отправлены', send: 'Отправить тестовое событие',
    sent: 'Тестовое событие отправлено: доставка №{id}', openLog: 'Открыть журнал событий', noEvents: 'Нечего проверять: установите приложение или зарегистрируйте бота с обработчиками',
    previewFailed: 'Пока не собрать: {error}', testBadge: 'тест',
  },
});
