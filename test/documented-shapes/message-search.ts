/**
 * Documented-shapes row of im.dialog.messages.search: the English docs' example response (the seed
 * has none), kept as it is in message-search.example.json: a message of Ivan's found by Anna, with
 * no PARAMS, reactions or answered messages, as the example has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ShapeCase } from './types.ts';

const example = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'message-search.example.json'), 'utf8')) as unknown;

const rows: ShapeCase[] = [
  {
    method: 'im.dialog.messages.search',
    as: 2,
    params: async (env) => {
      const chatId = await env.call('im.chat.add', { TITLE: 'Shapes of search', USERS: [3] }, 2);
      await env.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Работает, проверил' }, 3);
      return { CHAT_ID: chatId, SEARCH_MESSAGE: 'проверил', ORDER: { ID: 'DESC' }, LIMIT: 20 };
    },
    example,
  },
];

export default rows;
