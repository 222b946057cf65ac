/**
 * Documented example results of im.notify.* (seed "Chat API"; the English docs for im.notify,
 * im.notify.get, im.notify.read.all and the `result` wrapper of im.notify.answer / confirm).
 * Every row makes what it needs: notifications sent by Anna (2) to the admin (1), who calls.
 */
import type { ShapeCase, ShapeEnv } from './types.ts';

// A notification from Anna to the admin; `extra` adds the buttons or quick answer a row needs.
const notifyAdmin = (env: ShapeEnv, extra: Record<string, unknown> = {}): Promise<number> =>
  env.call('im.notify.personal.add', { USER_ID: 1, MESSAGE: 'Shape check', ...extra }, 2);

const rows: ShapeCase[] = [
  { method: 'im.notify.personal.add', params: () => ({ USER_ID: 1, MESSAGE: 'Персональное уведомление', MESSAGE_OUT: 'Текст', TAG: 'TEST', SUB_TAG: 'SUB|TEST', ATTACH: '' }), example: 123 },
  { method: 'im.notify.system.add', params: () => ({ USER_ID: 1, MESSAGE: 'Системное уведомление', TAG: 'TEST', SUB_TAG: 'SUB|TEST', ATTACH: [] }), example: 123 },
  { method: 'im.notify', params: () => ({ USER_ID: 5, TYPE: 'USER', MESSAGE: 'Reminder', MESSAGE_OUT: 'Reminder (email)', TAG: 'TASK_42', SUB_TAG: 'TASK|42' }), example: 12345 },
  {
    method: 'im.notify.get',
    params: async (env) => {
      await notifyAdmin(env, { ATTACH: [{ MESSAGE: 'attached' }] });
      return { LIMIT: 50 };
    },
    example: {
      total_count: 120,
      total_unread_count: 5,
      chat_id: 77,
      notifications: [{
        id: 1500, chat_id: 77, author_id: 1, date: '2026-03-03T09:00:00+00:00', notify_type: 2, notify_module: 'rest',
        notify_event: 'rest_notify', notify_tag: 'MP|12345|TASK_42', notify_sub_tag: 'MP|12345|TASK|42', notify_title: '',
        setting_name: 'rest|rest_notify', text: 'Reminder', notify_read: 'N', params: null,
      }],
      users: [{
        id: 1, active: true, name: 'John Smith', first_name: 'John', last_name: 'Smith', work_position: '', color: '#1eb4aa',
        avatar: 'https://example.bitrix24.com/upload/main/avatar.png', avatar_hr: 'https://example.bitrix24.com/upload/main/avatar.png',
        gender: 'M', birthday: '15-05', extranet: false, network: false, bot: false, connector: false,
        external_auth_id: 'socservices', status: 'online', idle: false, last_activity_date: '2026-03-03T15:04:20+02:00',
        mobile_last_date: false, desktop_last_date: false, absent: false, departments: [1],
        phones: { work_phone: '+11234567890', inner_phone: '22' }, bot_data: null, type: 'user', website: 'example.com',
        email: 'john@example.com',
      }],
    },
  },
  {
    method: 'im.notify.history.search',
    params: async (env) => {
      await notifyAdmin(env, { MESSAGE: 'invoice for the shape check' });
      return { SEARCH_TEXT: 'invoice', LIMIT: 50 };
    },
    example: {
      chat_id: 77,
      total_results: 1,
      notifications: [{
        id: 1500, chat_id: 77, author_id: 1, date: '2026-03-03T09:00:00+00:00', notify_type: 2, notify_module: 'tasks',
        notify_event: 'task_update', notify_tag: 'TASK|42', notify_sub_tag: '', notify_title: '', setting_name: 'tasks|task_update',
        text: 'invoice', notify_read: 'Y', params: null,
      }],
      users: [{
        id: 1, active: true, name: 'John Smith', first_name: 'John', last_name: 'Smith', work_position: '', color: '#1eb4aa',
        avatar: '', avatar_hr: '', gender: 'M', birthday: '15-05', extranet: false, network: false, bot: false, connector: false,
        external_auth_id: 'socservices', status: 'online', idle: false, last_activity_date: '2026-03-04T15:04:20+01:00',
        mobile_last_date: false, desktop_last_date: false, absent: false, departments: [1],
        phones: { work_phone: '+11234567890', inner_phone: '22' }, bot_data: null, type: 'user', website: 'example.com',
        email: 'john@example.com',
      }],
    },
  },
  {
    method: 'im.notify.schema.get',
    example: { tasks: { NAME: 'Tasks', MODULE_ID: 'tasks', LIST: [{ ID: 'tasks|task_update', NAME: 'Task Updates' }] } },
    skip: { tasks: 'Parley has no tasks-module notifications; its one module, rest, has the same NAME / MODULE_ID / LIST shape (checked in test/im-notify.test.ts)' },
  },
  { method: 'im.notify.read', params: async (env) => ({ ID: await notifyAdmin(env) }), example: true },
  { method: 'im.notify.read.list', params: async (env) => ({ IDS: [await notifyAdmin(env)], ACTION: 'Y' }), example: true },
  { method: 'im.notify.read.all', example: { result: true, newCounter: 0 } },
  {
    method: 'im.notify.answer',
    params: async (env) => ({ ID: await notifyAdmin(env, { NOTIFY_ANSWER: 'Y' }), ANSWER_TEXT: 'Hello' }),
    example: { result_message: ['Your response has been successfully sent.'] },
  },
  {
    method: 'im.notify.confirm',
    params: async (env) => ({
      ID: await notifyAdmin(env, { NOTIFY_BUTTONS: [{ TITLE: 'Accept', VALUE: 'Y', TYPE: 'accept' }, { TITLE: 'Decline', VALUE: 'N', TYPE: 'cancel' }] }),
      NOTIFY_VALUE: 'Y',
    }),
    example: { result_message: ['Приглашение принято'] },
  },
  { method: 'im.notify.delete', params: async (env) => ({ ID: await notifyAdmin(env) }), example: true },
];

export default rows;
