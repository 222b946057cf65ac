// Bot context links (Bitrix24's chat-bots-v2 bot-context): `?IM_DIALOG=<bot id>&BOT_CONTEXT=<json>`
// opens the dialog with the bot and hands the context to the portal (im.v2.Chat.Bot.sendContext),
// which tells the dialog's Chatbots 2.0 bots (ONIMBOTV2CONTEXTGET). The parameters leave the address
// bar as the dialog opens, so the context is not kept in the history. Until the person has signed
// in they stay, so a link followed while signed out still arrives after the sign-in.
import { call } from './api.ts';

export interface BotContextLink { dialogId: string; context: string | null }

/** The link's dialog and context, when the page was opened with one. */
export function botContextLink(): BotContextLink | null {
  const q = new URLSearchParams(location.search);
  const dialogId = q.get('IM_DIALOG') ?? '';
  return /^(chat)?\d{1,18}$/.test(dialogId) ? { dialogId, context: q.get('BOT_CONTEXT') } : null;
}

/** Open the link's dialog, drop its parameters from the address, and send the context along (if any). */
export async function followBotContextLink(link: BotContextLink): Promise<void> {
  const q = new URLSearchParams(location.search);
  q.delete('IM_DIALOG');
  q.delete('BOT_CONTEXT');
  const rest = q.toString();
  history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}#/dialog/${link.dialogId}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  if (link.context === null) return;
  // The portal answers BOT_NOT_FOUND for a dialog without a v2 bot, and refuses a context that is
  // no JSON object: the dialog is open either way, and a link is no place to complain about it.
  await call('im.v2.Chat.Bot.sendContext', { dialogId: link.dialogId, context: link.context }).catch(() => undefined);
}
