/**
 * Documented-shapes rows of the dialogs, recent and counters family: im.dialog.*, im.recent.* and
 * im.counters.get. The long examples are the seed's "Пример ответа" results, kept as they are in
 * dialogs.examples.json (the seed's JSON with its one typo fixed: `"TYPE" {` lacks a colon); the
 * `true` answers are written here. Each row makes the chats and messages it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ShapeCase, ShapeEnv } from './types.ts';

const examples = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'dialogs.examples.json'), 'utf8')) as Record<string, unknown>;

/** A new group chat of the admin (1) with Anna (2) and Ivan (3), with one message from Anna. */
async function chatWithMessage(env: ShapeEnv): Promise<{ chatId: number; messageId: number }> {
  const chatId = await env.call('im.chat.add', { TITLE: 'Shapes of dialogs', USERS: [2, 3] });
  const messageId = await env.call('im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Работает да :)' }, 2);
  return { chatId, messageId };
}

const rows: ShapeCase[] = [
  {
    method: 'im.dialog.messages.get',
    params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}` }),
    example: examples['im.dialog.messages.get'],
  },
  {
    method: 'im.dialog.read',
    params: async (env) => {
      const { chatId, messageId } = await chatWithMessage(env);
      return { DIALOG_ID: `chat${chatId}`, MESSAGE_ID: messageId };
    },
    example: examples['im.dialog.read'],
  },
  {
    method: 'im.dialog.unread',
    params: async (env) => {
      const { chatId, messageId } = await chatWithMessage(env);
      return { DIALOG_ID: `chat${chatId}`, MESSAGE_ID: messageId };
    },
    example: true,
  },
  { method: 'im.dialog.get', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}` }), example: examples['im.dialog.get'] },
  { method: 'im.dialog.users.list', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}` }), example: examples['im.dialog.users.list'] },
  { method: 'im.dialog.writing', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}` }), example: true },
  { method: 'im.dialog.read.all', example: true },
  {
    method: 'im.recent.get',
    // The example's first item is a one-to-one dialog: Ivan writes to the admin last.
    params: async (env) => {
      await env.call('im.message.add', { DIALOG_ID: 1, MESSAGE: 'Для шаблона' }, 3);
      return { SKIP_OPENLINES: 'Y' };
    },
    example: examples['im.recent.get'],
  },
  {
    method: 'im.recent.list',
    // The example's first item is a chat whose last line is a system message.
    params: async (env) => {
      await env.call('im.chat.add', { TITLE: 'Shapes of recent', USERS: [2] });
      return {};
    },
    example: examples['im.recent.list'],
    skip: { 'items.0.lines': 'open lines (`lines`) do not exist in Parley; its chat items are group chats' },
  },
  { method: 'im.recent.pin', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}`, PIN: 'Y' }), example: true },
  { method: 'im.recent.hide', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}` }), example: true },
  { method: 'im.recent.unread', params: async (env) => ({ DIALOG_ID: `chat${(await chatWithMessage(env)).chatId}`, ACTION: 'Y' }), example: true },
  {
    method: 'im.counters.get',
    // Something unread in a chat and in a dialog, so both maps are filled as in the example.
    params: async (env) => {
      await chatWithMessage(env);
      await env.call('im.message.add', { DIALOG_ID: 1, MESSAGE: 'Счётчик' }, 4);
      return {};
    },
    example: examples['im.counters.get'],
    skip: { 'CHAT.*': 'the keys are chat ids of the example portal', 'DIALOG.*': 'the keys are user ids of the example portal' },
  },
];

export default rows;
