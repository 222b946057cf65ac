/**
 * ONIMCOMMANDADD: a typed `/command`, or a keyboard or menu button press. One POST per (app,
 * handler URL) carries every command of that app the message triggered, keyed by COMMAND_ID, each
 * with its bot's token block.
 */
import type { Db } from '../store/db.ts';
import type { Bot, Command } from '../store/rows.ts';
import { botAuth } from './auth-markers.ts';
import { messageParams, userData, type MessageEventInput } from './bot-events.ts';
import { enqueue, type OutboxEvent } from './outbox.ts';

/** One triggered command and the bot that owns it. */
export interface TriggeredCommand { command: Command; bot: Bot; params: string }

/** Where the command came from: typed, a keyboard button, or a context-menu item. */
export type CommandContext = 'TEXTAREA' | 'KEYBOARD' | 'MENU';

/**
 * Queue ONIMCOMMANDADD for the triggered commands of one message (a command without a handler URL
 * has nowhere to go). Recording the calls is the domain's part (domain/commands.ts queueCommands).
 */
export async function queueCommandAdd(db: Db, m: MessageEventInput, context: CommandContext, triggered: TriggeredCommand[]): Promise<void> {
  const groups = new Map<string, TriggeredCommand[]>();
  for (const t of triggered.filter((c) => c.command.handler_url)) {
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
