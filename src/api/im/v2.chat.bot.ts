/**
 * im.v2.Chat.Bot.sendContext (chat-bots-v2/imbot.v2/bot-context.md): what the messenger calls when a
 * person opens a dialog with a bot through a link carrying BOT_CONTEXT, and what a developer calls to
 * replay that without a link. The dialog's Chatbots 2.0 bots get ONIMBOTV2CONTEXTGET (fetch log or
 * webhook, by the bot's event mode). The context is taken as given — the docs warn bots not to act
 * on it without the person's confirmation, since any page can link here.
 */
import { defineMethod } from '../../rest/registry.ts';
import { fail } from '../../errors.ts';
import { pick } from '../../rest/params.ts';
import { Codec } from '../../rest/schema.ts';
import { parseJsonInput } from '../../wire/json-input.ts';
import { runAction } from '../../domain/action.ts';
import { sendBotContext } from '../../domain/bot-context.ts';
import { dialogFor } from '../codecs/dialogs.ts';

/** A context's size as JSON: a link's worth, enough for the ids and codes it is meant for. */
const MAX_CONTEXT_BYTES = 8192;

/** `context`: a JSON object, sent as JSON, as PHP bracket fields, or as a string of JSON (a link's BOT_CONTEXT as is). */
const context = () => new Codec<Record<string, unknown>>('object', (p, name) => {
  let v = pick(p, name);
  if (typeof v === 'string') {
    if (Buffer.byteLength(v) > MAX_CONTEXT_BYTES) fail('CONTEXT_TOO_LARGE');
    v = parseJsonInput(v);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail('CONTEXT_INVALID');
  if (Buffer.byteLength(JSON.stringify(v)) > MAX_CONTEXT_BYTES) fail('CONTEXT_TOO_LARGE');
  return v as Record<string, unknown>;
}, true, 'CONTEXT_INVALID');

defineMethod({
  name: 'im.v2.Chat.Bot.sendContext', scope: 'im', access: 'dialog', denied: 'ACCESS_DENIED',
  params: { dialogId: dialogFor('write'), context: context() },
  async handler(ctx, { dialogId: chat, context: given }) {
    await runAction(ctx.portal, (trx) => sendBotContext(trx, chat, ctx.user, given));
    return true;
  },
});
