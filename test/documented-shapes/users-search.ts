/**
 * Documented-shapes rows of the users, departments and search family: im.user.*, im.department.*,
 * im.search.*. Examples are the seed's "Пример ответа" results, except where a row says why it uses
 * the English docs' newer one. Rows make what they need: their own chats and recent picks.
 */
import type { ShapeCase } from './types.ts';

/** The seed's user object (im.user.get, and inside every list below). */
const seedUser = {
  id: 5,
  name: 'Евгений Шеленков',
  first_name: 'Евгений',
  last_name: 'Шеленков',
  work_position: '',
  color: '#df532d',
  avatar: 'http://192.168.2.232/upload/resize_cache/main/1d3/100_100_2/shelenkov.png',
  gender: 'M',
  birthday: '',
  extranet: false,
  network: false,
  bot: false,
  connector: false,
  external_auth_id: 'default',
  status: 'online',
  idle: false,
  last_activity_date: '2018-01-29T17:35:31+03:00',
  desktop_last_date: false,
  mobile_last_date: false,
  departments: [50],
  absent: false,
  phones: { work_phone: '', personal_mobile: '', personal_phone: '' },
};

/** The English docs' user object (department lists), with inner_phone, bot_data, type, website, email. */
const englishUser = {
  id: 13, active: true, name: 'John Smith', first_name: 'John', last_name: 'Smith', work_position: 'Chief Accountant',
  color: '#728f7a', avatar: 'https://mysite.com/upload/avatars/john-smith.jpg', avatar_hr: 'https://mysite.com/upload/avatars/john-smith.jpg',
  gender: 'M', birthday: '10-09', extranet: false, network: false, bot: false, connector: false, external_auth_id: 'socservices',
  status: 'online', idle: false, last_activity_date: '2024-02-19T00:40:41+01:00', mobile_last_date: false, desktop_last_date: false,
  absent: false, departments: [9, 3], phones: { personal_mobile: '12134567890', inner_phone: '55' }, bot_data: null, type: 'user',
  website: '', email: 'john.smith@mysite.com',
};

const rows: ShapeCase[] = [
  { method: 'im.user.get', as: 2, params: () => ({ ID: 5 }), example: seedUser },
  { method: 'im.user.list.get', as: 2, params: () => ({ ID: [4, 5] }), example: { 4: null, 5: seedUser } },
  { method: 'im.user.status.set', as: 3, params: () => ({ STATUS: 'dnd' }), example: true },
  { method: 'im.user.status.get', as: 3, example: 'dnd' },
  { method: 'im.user.status.idle.start', as: 3, params: () => ({ AGO: 10 }), example: true },
  { method: 'im.user.status.idle.end', as: 3, example: true },
  {
    method: 'im.department.get', params: () => ({ ID: [2] }),
    // The seed's example misses a comma after full_name; the keys are what counts.
    example: [{ id: 51, name: 'Московский филиал', full_name: 'Московский филиал / Битрикс', manager_user_id: 11 }],
  },
  { method: 'im.department.colleagues.list', as: 2, params: () => ({ USER_DATA: 'Y' }), example: [{ ...seedUser, id: 1 }] },
  {
    // The seed shows one user object per department (and an id the portal lacks); the English docs
    // show a list per department, which is what Bitrix24 answers and what Parley does.
    method: 'im.department.managers.get', params: () => ({ ID: [3], USER_DATA: 'Y' }),
    example: { 3: [englishUser], 7: [{ ...englishUser, id: 103 }] },
    skip: { 7: 'the English example has a second department; a fresh portal has no department 7' },
  },
  {
    method: 'im.department.employees.get', params: () => ({ ID: [3], USER_DATA: 'Y' }),
    example: { 7: [{ ...englishUser, id: 3 }], 3: [{ ...englishUser, id: 278 }] },
    skip: { 7: 'the English example has a second department; a fresh portal has no department 7' },
  },
  { method: 'im.search.user.list', params: () => ({ FIND: 'Parley' }), example: { 1: { ...seedUser, id: 1 } } },
  {
    // The seed shows a map keyed by chat id; the English docs' newer example is a list of richer chat
    // objects, which is what Bitrix24 answers today and what Parley answers.
    method: 'im.search.chat.list',
    params: async (env) => {
      await env.call('im.chat.add', { TITLE: 'Мятный чат №3', USERS: [2] });
      return { FIND: 'Мятный' };
    },
    example: [{
      id: 1137, parent_chat_id: 0, parent_message_id: 0, name: 'Project: "template development"', description: null, owner: 27,
      extranet: false, avatar: '', color: '#3e99ce', type: 'sonetGroup', counter: 0, user_counter: 2, message_count: 4, unread_id: 0,
      restrictions: {
        avatar: false, rename: false, extend: false, call: true, mute: true, leave: false, leave_owner: false, send: true, user_list: true,
        path: '/workgroups/group/#ID#/', path_title: 'Go to group',
      },
      last_message_id: 80461, last_id: 80461, marked_id: 0, disk_folder_id: 0, entity_type: 'SONET_GROUP', entity_id: '121',
      entity_data_1: '', entity_data_2: '', entity_data_3: '', mute_list: [], date_create: '2024-07-26T15:28:02+02:00', message_type: 'C',
      public: '', role: 'owner', entity_link: { type: 'SONET_GROUP', url: '/workgroups/group/121/', id: '121' }, text_field_enabled: true,
      background_id: null,
      permissions: { manage_users_add: 'member', manage_users_delete: 'manager', manage_ui: 'member', manage_settings: 'owner', manage_messages: 'member', can_post: 'member' },
      is_new: false,
    }],
    skip: {
      '0.restrictions.path': 'a workgroup page: Parley chats are not bound to workgroups',
      '0.restrictions.path_title': 'a workgroup page: Parley chats are not bound to workgroups',
    },
  },
  {
    method: 'im.search.department.list', params: () => ({ FIND: 'Sales' }),
    example: [{ id: 51, name: 'Московский филиал', full_name: 'Московский филиал / Битрикс', manager_user_id: 11 }],
  },
  { method: 'im.search.last.add', params: () => ({ DIALOG_ID: '5' }), example: true },
  {
    method: 'im.search.last.get',
    params: async (env) => {
      await env.call('im.search.last.add', { DIALOG_ID: '2' });
      return {};
    },
    example: [{
      id: 1, type: 'user', title: 'Евгений Шеленков',
      avatar: { url: 'http://192.168.2.232/upload/resize_cache/main/1d3/100_100_2/shelenkov.png', color: '#df532d' },
      user: { ...seedUser, id: 1 },
    }],
  },
  { method: 'im.search.last.delete', params: () => ({ DIALOG_ID: '5' }), example: true },
];

export default rows;
