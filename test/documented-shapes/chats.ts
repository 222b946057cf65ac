/**
 * Documented-shapes rows of the chats family: im.revision.get and im.chat.*. Examples are the seed's
 * "Пример ответа" results, except im.chat.get (see its row). Each row makes the chat it needs.
 */
import type { ShapeCase, ShapeEnv } from './types.ts';

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A new group chat owned by the admin (1) with Anna (2) and Ivan (3). */
const newChat = (env: ShapeEnv, extra: Record<string, unknown> = {}): Promise<number> =>
  env.call('im.chat.add', { TITLE: 'Shapes', USERS: [2, 3], ...extra });

const rows: ShapeCase[] = [
  { method: 'im.revision.get', example: { rest: 18, web: 117, mobile: 9 } },
  {
    method: 'im.chat.add',
    params: () => ({
      TYPE: 'CHAT', TITLE: 'Мой новый закрытый чат', DESCRIPTION: 'Очень важный чат', COLOR: 'PINK', MESSAGE: 'Добро пожаловать в чат',
      USERS: [1, 2], AVATAR: PNG, ENTITY_TYPE: 'CHAT', ENTITY_ID: 13, OWNER_ID: 2,
    }),
    example: 123,
  },
  { method: 'im.chat.user.list', params: async (env) => ({ CHAT_ID: await newChat(env) }), example: [1, 2] },
  { method: 'im.chat.user.add', params: async (env) => ({ CHAT_ID: await newChat(env), USERS: [4, 5], HIDE_HISTORY: 'N' }), example: true },
  { method: 'im.chat.user.delete', params: async (env) => ({ CHAT_ID: await newChat(env), USER_ID: 3 }), example: true },
  { method: 'im.chat.leave', as: 2, params: async (env) => ({ CHAT_ID: await newChat(env) }), example: true },
  { method: 'im.chat.updateTitle', params: async (env) => ({ CHAT_ID: await newChat(env), TITLE: 'Новое имя для чата' }), example: true },
  { method: 'im.chat.updateColor', params: async (env) => ({ CHAT_ID: await newChat(env, { COLOR: 'RED' }), COLOR: 'MINT' }), example: true },
  { method: 'im.chat.updateAvatar', params: async (env) => ({ CHAT_ID: await newChat(env), AVATAR: PNG }), example: true },
  { method: 'im.chat.setOwner', params: async (env) => ({ CHAT_ID: await newChat(env), USER_ID: '2' }), example: true },
  {
    method: 'im.chat.get',
    params: async (env) => {
      await newChat(env, { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|13' });
      return { ENTITY_TYPE: 'CRM', ENTITY_ID: 'LEAD|13' };
    },
    // The seed shows a bare id (`10`); the English docs' newer example is `{"ID": 1437}`, which is
    // what Bitrix24 answers today and what imbot.chat.get answers here, so that is the shape checked.
    example: { ID: 1437 },
  },
  { method: 'im.chat.mute', params: async (env) => ({ CHAT_ID: await newChat(env), MUTE: 'Y' }), example: true },
];

export default rows;
