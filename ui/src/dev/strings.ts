/**
 * The developer console's strings, Russian and English, kept apart from the messenger's dictionary
 * (see `strings` in ../i18n.ts). `{name}` placeholders are filled by the caller.
 */
import { strings } from '../i18n.ts';

const en = {
  title: 'Developer console', backToChat: 'Back to messenger', devLink: 'Developer console',
  deniedTitle: 'Administrators only', deniedText: 'The developer console manages apps, webhooks and logs of the whole portal, so only portal administrators may open it. Ask an administrator if you need an app or a webhook.',
  tabApps: 'Apps', tabHooks: 'Webhooks', tabBots: 'Bots', tabEvents: 'Event log', tabCalls: 'REST calls',
  refresh: 'Refresh', loading: 'Loading…', empty: 'Nothing here yet', copy: 'Copy', copied: 'Copied', cancel: 'Cancel', confirm: 'Confirm',
  newApp: 'New local application', appName: 'Application name', handlerUrl: 'Handler URL', handlerHint: 'Events (ONAPPINSTALL, messages to its bots…) are POSTed here',
  installUrl: 'Initial installation path (optional)', installHint: 'ONAPPINSTALL and ONAPPUPDATE go here instead, when set',
  scopes: 'Access permissions (scope)', installNow: 'Install right away (sends ONAPPINSTALL)', create: 'Create',
  createdApp: 'Application “{name}” created', credentials: 'Credentials', keepSecret: 'Keep the secret and the token private: they let anyone act as this app.',
  apps: 'Applications', installed: 'installed', notInstalled: 'not installed', version: 'version {n}', botsN: 'bots: {n}',
  install: 'Install', reinstall: 'Reinstall', uninstall: 'Uninstall', showCredentials: 'Credentials',
  confirmInstall: 'Install “{name}”? Its handler receives ONAPPINSTALL.',
  confirmReinstall: 'Reinstall “{name}” as a new version? Its handler receives ONAPPUPDATE.',
  confirmUninstall: 'Uninstall “{name}”? Its handler receives ONAPPUNINSTALL and its bots are deleted (ONIMBOTDELETE).',
  clean: 'Clean: tell the app to delete its data (CLEAN=1 in ONAPPUNINSTALL)', done: 'Done',
  newHook: 'New incoming webhook', hookUser: 'Acts as user', hookTitle: 'Title', hookCreated: 'Webhook created. Its URL is a password: copy it now, it is not shown again. Share it carefully.',
  hookMasked: 'The full URL is shown only once, when the webhook is created',
  hooks: 'Incoming webhooks', revoke: 'Revoke', confirmRevoke: 'Revoke webhook “{name}”? Calls to its URL will be refused.', untitled: 'untitled',
  allApps: 'All applications', app: 'Application', bot: 'Bot', allBots: 'All bots', event: 'Event', allEvents: 'All events',
  status: 'Status', anyStatus: 'Any status', pending: 'pending', delivered: 'delivered', dead: 'failed (dead letter)',
  type: 'Type', code: 'Code', handlers: 'Handlers', commands: 'Commands', noCommands: 'No commands', hidden: 'hidden', common: 'common (every chat)',
  noBots: 'No bots registered', botType: 'type {t}', openline: 'open lines',
  autoRefresh: 'Auto-refresh', redeliver: 'Redeliver', redeliverAll: 'Redeliver all failed', confirmRedeliverAll: 'Queue every failed delivery again?',
  requeued: 'Queued again: {n}', handler: 'Handler', payload: 'Payload (data)', response: 'Response', responseStatus: 'HTTP {s}',
  noResponse: 'no response', error: 'Error', latency: '{n} ms', attempts: 'attempts: {n}', created: 'Created', deliveredAt: 'Delivered',
  nextAttempt: 'Next attempt', authUser: 'Tokens minted for user {id}', emptyBody: '(empty body)',
  method: 'Method', user: 'User', allUsers: 'All users', errorsOnly: 'Errors only', params: 'Parameters', result: 'Result', duration: '{n} ms',
  viaWebhook: 'webhook #{id}', viaApp: 'app “{name}”', appN: 'app #{id}', userN: 'user #{id}', anonymous: 'no caller',
  pageOf: '{from}–{to} of {total}', prev: 'Previous page', next: 'Next page', filters: 'Filters', details: 'Details',
  methodHint: 'exact name, e.g. imbot.register', tokensAtSend: '‹access tokens, minted when the event is sent›',
};

const ru: typeof en = {
  title: 'Консоль разработчика', backToChat: 'К мессенджеру', devLink: 'Консоль разработчика',
  deniedTitle: 'Только для администраторов', deniedText: 'Консоль разработчика управляет приложениями, вебхуками и журналами всего портала, поэтому открыть её может только администратор. Если вам нужно приложение или вебхук, обратитесь к администратору.',
  tabApps: 'Приложения', tabHooks: 'Вебхуки', tabBots: 'Боты', tabEvents: 'Журнал событий', tabCalls: 'Вызовы REST',
  refresh: 'Обновить', loading: 'Загрузка…', empty: 'Здесь пока пусто', copy: 'Копировать', copied: 'Скопировано', cancel: 'Отмена', confirm: 'Подтвердить',
  newApp: 'Новое локальное приложение', appName: 'Название приложения', handlerUrl: 'Адрес обработчика', handlerHint: 'Сюда приходят события (ONAPPINSTALL, сообщения его ботам…)',
  installUrl: 'Путь для первоначальной установки (необязательно)', installHint: 'Если указан, ONAPPINSTALL и ONAPPUPDATE приходят сюда',
  scopes: 'Права доступа (scope)', installNow: 'Сразу установить (отправит ONAPPINSTALL)', create: 'Создать',
  createdApp: 'Приложение «{name}» создано', credentials: 'Ключи доступа', keepSecret: 'Не раскрывайте секрет и токен: с ними любой может действовать от имени приложения.',
  apps: 'Приложения', installed: 'установлено', notInstalled: 'не установлено', version: 'версия {n}', botsN: 'ботов: {n}',
  install: 'Установить', reinstall: 'Переустановить', uninstall: 'Удалить', showCredentials: 'Ключи доступа',
  confirmInstall: 'Установить «{name}»? Обработчик получит ONAPPINSTALL.',
  confirmReinstall: 'Переустановить «{name}» как новую версию? Обработчик получит ONAPPUPDATE.',
  confirmUninstall: 'Удалить «{name}»? Обработчик получит ONAPPUNINSTALL, его боты будут удалены (ONIMBOTDELETE).',
  clean: 'Очистка: попросить приложение удалить свои данные (CLEAN=1 в ONAPPUNINSTALL)', done: 'Готово',
  newHook: 'Новый входящий вебхук', hookUser: 'От имени пользователя', hookTitle: 'Название', hookCreated: 'Вебхук создан. Его адрес — это пароль: скопируйте его сейчас, больше он не будет показан. Передавайте его осторожно.',
  hookMasked: 'Полный адрес показывается только один раз, при создании вебхука',
  hooks: 'Входящие вебхуки', revoke: 'Отозвать', confirmRevoke: 'Отозвать вебхук «{name}»? Вызовы по его адресу будут отклонены.', untitled: 'без названия',
  allApps: 'Все приложения', app: 'Приложение', bot: 'Бот', allBots: 'Все боты', event: 'Событие', allEvents: 'Все события',
  status: 'Статус', anyStatus: 'Любой статус', pending: 'в очереди', delivered: 'доставлено', dead: 'не доставлено (отложено)',
  type: 'Тип', code: 'Код', handlers: 'Обработчики', commands: 'Команды', noCommands: 'Нет команд', hidden: 'скрытая', common: 'общая (во всех чатах)',
  noBots: 'Ботов нет', botType: 'тип {t}', openline: 'открытые линии',
  autoRefresh: 'Автообновление', redeliver: 'Отправить снова', redeliverAll: 'Повторить все недоставленные', confirmRedeliverAll: 'Поставить все недоставленные события в очередь снова?',
  requeued: 'Снова в очереди: {n}', handler: 'Обработчик', payload: 'Данные (data)', response: 'Ответ', responseStatus: 'HTTP {s}',
  noResponse: 'нет ответа', error: 'Ошибка', latency: '{n} мс', attempts: 'попыток: {n}', created: 'Создано', deliveredAt: 'Доставлено',
  nextAttempt: 'Следующая попытка', authUser: 'Токены выданы для пользователя {id}', emptyBody: '(пустой ответ)',
  method: 'Метод', user: 'Пользователь', allUsers: 'Все пользователи', errorsOnly: 'Только ошибки', params: 'Параметры', result: 'Результат', duration: '{n} мс',
  viaWebhook: 'вебхук №{id}', viaApp: 'приложение «{name}»', appN: 'приложение №{id}', userN: 'пользователь №{id}', anonymous: 'без вызывающего',
  pageOf: '{from}–{to} из {total}', prev: 'Предыдущая страница', next: 'Следующая страница', filters: 'Фильтры', details: 'Подробности',
  methodHint: 'точное имя, например imbot.register', tokensAtSend: '‹токены доступа, выдаются при отправке события›',
};

/** A console string in the current UI language. */
export const tx = strings({ en, ru });
