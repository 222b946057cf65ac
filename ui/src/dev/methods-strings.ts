/** Strings of the console's Methods tab (parley.method.list), Russian and English. */
import { strings } from '../i18n.ts';

export const tm = strings({
  en: {
    tabMethods: 'Methods', methods: 'REST methods', filter: 'Filter', filterHint: 'name, scope or parameter, e.g. im.message or DIALOG_ID',
    shown: '{n} of {total}', none: 'No method matches', anyScope: 'any scope', noParams: 'No parameters',
    param: 'Parameter', type: 'Type', presence: 'Needed', required: 'required', optional: 'optional', error: 'Error when missing or wrong',
    'access-none': 'anyone with the scope', 'access-self': "the caller's own", 'access-portal': 'the portal directory',
    'access-dialog': 'members of the dialog', 'access-read': 'readers of the dialog', 'access-message': 'who sees the message',
    'access-file': 'readers of the chat', 'access-bot': "the app's bots", 'access-app': 'the calling app', 'access-admin': 'administrators',
    'access-settings': 'administrators (with the scope)',
    'access-line': "the line's operators and administrators", 'access-linebot': "the app's line bot, where it handles the session",
    'access-appadmin': 'the calling app, for an administrator', 'access-messenger': "the web messenger's session",
    'access-botv2': 'the v2 bot\'s owner (its app, or its botToken)', 'access-console': 'an administrator in the developer console only',
  },
  ru: {
    tabMethods: 'Методы', methods: 'Методы REST', filter: 'Фильтр', filterHint: 'имя, scope или параметр, например im.message или DIALOG_ID',
    shown: '{n} из {total}', none: 'Подходящих методов нет', anyScope: 'любой scope', noParams: 'Без параметров',
    param: 'Параметр', type: 'Тип', presence: 'Нужен', required: 'обязательный', optional: 'необязательный', error: 'Ошибка, если нет или неверен',
    'access-none': 'любой с этим scope', 'access-self': 'только своё', 'access-portal': 'справочник портала',
    'access-dialog': 'участники диалога', 'access-read': 'читатели диалога', 'access-message': 'кто видит сообщение',
    'access-file': 'читатели чата', 'access-bot': 'боты приложения', 'access-app': 'само приложение', 'access-admin': 'администраторы',
    'access-settings': 'администраторы (со scope метода)',
    'access-line': 'операторы линии и администраторы', 'access-linebot': 'бот линии приложения, в своей сессии',
    'access-appadmin': 'само приложение, у администратора', 'access-messenger': 'только сессия веб-мессенджера',
    'access-botv2': 'владелец бота v2 (его приложение или botToken)', 'access-console': 'только администратор в консоли разработчика',
  },
});
