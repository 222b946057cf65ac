/**
 * ONIMCOMMANDADD: a typed `/command`, or a keyboard or menu button press. One POST per (app,
 * handler URL) carries every command of that app the message triggered, keyed by COMMAND_ID, each
 * with its bot's token block.
 */
import type { Db } from '../store/db.ts';
import type { Bot } from '../domain/types.ts';
import type { Command } from '../domain/commands.ts';
import { botAuth } from './auth-markers.ts';
import { messageParams, userData, type MessageEventInput } from './bot-events.ts';
import { enqueue, type OutboxEvent } from './outbox.ts';
import { recordCommandCalls } from '../domain/commands.ts';

/** One triggered command and the bot that owns it. */
export interface TriggeredCommand { command: Command; bot: Bot; params: string }

/** Where the command came from: typed, a keyboard button, or a context-menu item. */
export type CommandContext = 'TEXTAREA' | 'KEYBOARD' | 'MENU';

/**
 * Queue ONIMCOMMANDADD for the triggered commands of one message, and record each call: it is what
 * lets the app answer in that message's dialog with imbot.command.answer.
 */
export async function queueCommands(db: Db, m: MessageEventInput, context: CommandContext, triggered: TriggeredCommand[]): Promise<void> {
  const groups = new Map<string, TriggeredCommand[]>();
  const sent = triggered.filter((t) => t.command.handler_url);
  await recordCommandCalls(db, m.message.id, m.chat.id, sent.map((t) => t.command.id));
  for (const t of sent) {
    const key = `${t.command.app_id}\n${t.command.handler_url}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const events: OutboxEvent[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    const COMMAND = Object.fromEntries(list.map((t) => [String(t.command.id), {
      ...botAuth(t.bot.id, t.bot.code),
      COMMAND: t.command.command, COMMAND_ID: String(t.command.id), COMMAND_PARAMS: t.params,
      COMMAND_CONTEXT: context, MESSAGE_ID: String(m.message.id),
    }]));
    const PARAMS = { ...messageParams(m, first.bot), COMMAND_CONTEXT: context, SKIP_USER_CHECK: 'Y', RECENT_ADD: 'Y' };
    events.push({
      appId: first.command.app_id, event: 'ONIMCOMMANDADD', handlerUrl: first.command.handler_url,
      stream: `chat${m.chat.id}`, authUserId: m.author.id,
      data: { COMMAND, PARAMS, USER: userData(m.author, true) },
    });
  }
  await enqueue(db, events);
}
