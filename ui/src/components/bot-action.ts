/**
 * What a bot's KEYBOARD button or MENU item does when pressed, from its stored shape: a COMMAND goes
 * to the bot (im.message.command); APP_ID opens that chat app in context mode; ACTION does PUT, SEND,
 * COPY or DIALOG. LINK and CALL become vetted
 * links (the keyboard renders them as <a>, the menu opens them), so they are not handled here.
 */
import { notify } from '../store.ts';
import { pressCommand, putText, sendMessage } from '../dialog.ts';
import { safeHref } from '../safe.ts';
import { t } from '../i18n.ts';
import { launchApp } from '../apps/chat-apps.ts';
import { str, type WireMessage } from '../types.ts';

/** A button or item as stored: any value may be anything. */
export type BotItem = Record<string, unknown>;

/** The tel: link of a CALL action's number, undefined when nothing dialable is left. */
export const callHref = (item: BotItem): string | undefined => safeHref(`tel:${str(item.ACTION_VALUE).replace(/[^\d+*#]/g, '')}`);

/** Do an item's COMMAND or its ACTION; what the web cannot do is answered with a notice. */
export async function runBotAction(message: WireMessage, item: BotItem): Promise<void> {
  if (item.COMMAND) return pressCommand(message, item);
  if (item.APP_ID) return launchApp(Number(item.APP_ID), str(item.TEXT), { message, button: item });
  const value = str(item.ACTION_VALUE);
  if (item.ACTION === 'PUT') putText(value);
  else if (item.ACTION === 'SEND') void sendMessage(value);
  else if (item.ACTION === 'COPY') await navigator.clipboard?.writeText(value).then(() => notify(t('copied')), () => notify(value));
  else if (item.ACTION === 'DIALOG' && /^(?:chat)?\d+$/.test(value)) location.hash = `#/dialog/${value}`;
  else notify(t('notAllowed'));
}
