/**
 * imbot.v2.Chat.InputAction.notify and Chat.TextField.enabled (chat-bots-v2/imbot.v2/ui/): what a
 * v2 bot shows in the web messenger of a dialog it is in. The indicator is the messenger's typing
 * signal (domain announceTyping) with the action's code and how long it stays; the text field is
 * the chat's `text_field_enabled`, which the messenger's composer honours.
 */
import { defineMethod } from '../../rest/registry.ts';
import { str } from '../../rest/params.ts';
import { c, Codec } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { announceTyping } from '../../domain/chats.ts';
import { setTextField } from '../../domain/chat-admin.ts';
import { botToken, ownBot } from '../codecs/bots-v2.ts';
import { chatOfBot } from './v2.chat.ts';

/** The documented statusMessageCode values; another code (or none) shows the plain "typing". */
export const INPUT_ACTIONS = new Set([
  'IMBOT_AGENT_ACTION_THINKING', 'IMBOT_AGENT_ACTION_SEARCHING', 'IMBOT_AGENT_ACTION_GENERATING', 'IMBOT_AGENT_ACTION_ANALYZING',
  'IMBOT_AGENT_ACTION_PROCESSING', 'IMBOT_AGENT_ACTION_TRANSLATING', 'IMBOT_AGENT_ACTION_CONNECTING', 'IMBOT_AGENT_ACTION_CHECKING',
  'IMBOT_AGENT_ACTION_CALCULATING', 'IMBOT_AGENT_ACTION_READING_DOCS', 'IMBOT_AGENT_ACTION_COMPOSING',
]);

/** `duration` in seconds, brought into 1–600; undefined when not sent (the messenger's own few seconds). */
const duration = () => new Codec<number | undefined>('integer', (p, n) => {
  const v = Number(str(p, n));
  return Number.isFinite(v) && v > 0 ? Math.min(Math.round(v) || 1, 600) : undefined;
});

defineMethod({
  name: 'imbot.v2.Chat.InputAction.notify', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), statusMessageCode: c.trimmed(), duration: duration() },
  async handler(ctx, { botId: bot, dialogId, statusMessageCode: code, duration: seconds }) {
    const chat = await chatOfBot(ctx, bot, dialogId);
    const action = INPUT_ACTIONS.has(code) ? code : undefined;
    await runAction(ctx.portal, (trx) => announceTyping(ctx.portal, trx, chat.id, bot.id, { action, seconds }));
    return { result: true };
  },
});

defineMethod({
  name: 'imbot.v2.Chat.TextField.enabled', scope: 'imbot', access: 'botv2', denied: 'ACCESS_DENIED',
  params: { botToken: botToken(), botId: ownBot(), dialogId: c.trimmed(), enabled: c.flag(true) },
  async handler(ctx, { botId: bot, dialogId, enabled }) {
    // Any chat the bot is in, private dialogs first of all (change-log BOT-FIX-0408-5): membership is the right.
    const chat = await chatOfBot(ctx, bot, dialogId);
    await runAction(ctx.portal, (trx) => setTextField(trx, chat, enabled));
    return { result: true };
  },
});
