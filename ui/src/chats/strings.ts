/** The chats feature's strings (creating chats, their settings, joining, departments), in English and Russian. */
import { strings } from '../i18n.ts';
import { COLORS } from '../../../src/format/colors.ts';

/** A string of the chats feature in the current language. */
export const tx = strings({
  en: {
    newChat: 'New chat', createChat: 'Create chat', chatTitle: 'Title', chatTitleHint: 'What the chat is about',
    members: 'Members', addPeople: 'Find people to add', chatType: 'Who can find it', closed: 'Closed group: invited members only',
    open: 'Open: anyone on the portal can find, read and join', color: 'Colour', removeFromList: 'Remove {name}',
    needMember: 'Add at least one member', settings: 'Chat settings', close: 'Close', rename: 'Rename', save: 'Save',
    avatar: 'Picture', uploadAvatar: 'Upload a picture', invite: 'Invite', inviteHint: 'Find people to invite',
    hideHistory: 'Hide earlier messages from them', remove: 'Remove', owner: 'owner', makeOwner: 'Make owner',
    mute: 'Mute notifications', muted: 'Muted', leave: 'Leave chat', leaveConfirm: 'Leave "{title}"? You will not see new messages.',
    join: 'Join', joinHint: 'You are reading an open chat. Join it to write.', departments: 'Departments',
    employees: 'Employees of {name}', noEmployees: 'Nobody in this department', showEmployees: 'Show employees',
    done: 'Done', you: 'you', imageOnly: 'Choose an image file', invited: 'Invited', removed: 'Removed',
    ownerChanged: 'The owner changed', renamed: 'Renamed', left: 'You left the chat', chatCreated: 'Chat created',
    RED: 'Red', GREEN: 'Green', MINT: 'Mint', LIGHT_BLUE: 'Light blue', DARK_BLUE: 'Dark blue', PURPLE: 'Purple', AQUA: 'Aqua',
    PINK: 'Pink', LIME: 'Lime', BROWN: 'Brown', AZURE: 'Azure', KHAKI: 'Khaki', SAND: 'Sand', MARENGO: 'Marengo', GRAY: 'Gray',
    GRAPHITE: 'Graphite',
  },
  ru: {
    newChat: 'Новый чат', createChat: 'Создать чат', chatTitle: 'Название', chatTitleHint: 'О чём этот чат',
    members: 'Участники', addPeople: 'Найдите, кого добавить', chatType: 'Кто может найти чат', closed: 'Закрытый: только приглашённые',
    open: 'Открытый: любой на портале может найти, читать и вступить', color: 'Цвет', removeFromList: 'Убрать: {name}',
    needMember: 'Добавьте хотя бы одного участника', settings: 'Настройки чата', close: 'Закрыть', rename: 'Переименовать', save: 'Сохранить',
    avatar: 'Аватар', uploadAvatar: 'Загрузить картинку', invite: 'Пригласить', inviteHint: 'Найдите, кого пригласить',
    hideHistory: 'Скрыть от них прежние сообщения', remove: 'Исключить', owner: 'владелец', makeOwner: 'Сделать владельцем',
    mute: 'Без уведомлений', muted: 'Уведомления выключены', leave: 'Выйти из чата', leaveConfirm: 'Выйти из «{title}»? Новые сообщения будут вам не видны.',
    join: 'Вступить', joinHint: 'Вы читаете открытый чат. Вступите, чтобы писать.', departments: 'Отделы',
    employees: 'Сотрудники: {name}', noEmployees: 'В отделе никого нет', showEmployees: 'Показать сотрудников',
    done: 'Готово', you: 'вы', imageOnly: 'Выберите файл с картинкой', invited: 'Приглашены', removed: 'Исключён',
    ownerChanged: 'Владелец сменился', renamed: 'Переименован', left: 'Вы вышли из чата', chatCreated: 'Чат создан',
    RED: 'Красный', GREEN: 'Зелёный', MINT: 'Мятный', LIGHT_BLUE: 'Голубой', DARK_BLUE: 'Синий', PURPLE: 'Фиолетовый', AQUA: 'Бирюзовый',
    PINK: 'Розовый', LIME: 'Лаймовый', BROWN: 'Коричневый', AZURE: 'Лазурный', KHAKI: 'Хаки', SAND: 'Песочный', MARENGO: 'Маренго', GRAY: 'Серый',
    GRAPHITE: 'Графитовый',
  },
});

/**
 * The 16 chat colours of Bitrix24 by the names im.chat.add / im.chat.updateColor take, with the hex
 * value the portal answers for each (so a swatch looks like the chat will).
 */
export const CHAT_COLORS = Object.entries(COLORS) as [keyof typeof COLORS, string][];

/** One of the colour names. */
export type ChatColor = (typeof CHAT_COLORS)[number][0];

/** The colour name for a hex value the portal answered (first match), or undefined. */
export const colorName = (hex: string | undefined): ChatColor | undefined =>
  CHAT_COLORS.find(([, h]) => h.toLowerCase() === (hex ?? '').toLowerCase())?.[0];
