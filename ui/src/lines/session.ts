/**
 * What the open dialog's line session is, read from what the operator's client already has: the
 * recent item of the chat (`lines.status`, `lines.id`), the chat (owner, USER_CODE, entity_data_1)
 * and the loaded messages (the customer's answer to the rating request).
 */
import { computed } from 'vue';
import { dialog } from '../dialog.ts';
import { me, users } from '../store.ts';
import { bbcodeToText } from '../safe.ts';
import { isLineChat, itemOf, linesLoaded, phaseOf, statusOf, STATUS, userCode } from './state.ts';

/** Whether the open dialog is an open-line chat. */
export const inLineChat = computed(() => isLineChat(dialog.chat));

/** The open line chat's session as far as the client knows it. */
export const session = computed(() => {
  const chat = dialog.chat;
  if (!chat || !isLineChat(chat)) return null;
  const item = itemOf(chat.id);
  // No recent item: the user is no longer in the conversation (transferred away) or it is not theirs.
  const status = item ? statusOf(item) : chat.owner ? STATUS.ANSWER : STATUS.NEW;
  const fromData = Number((chat.entity_data_1 ?? '').split('|')[5]) || 0;
  const code = userCode(chat.entity_id);
  return {
    chatId: chat.id,
    id: item?.lines?.id || fromData,
    started: item?.lines?.date_create ?? '',
    status,
    phase: phaseOf(status),
    owner: item?.chat?.owner ?? chat.owner ?? 0,
    mine: (item?.chat?.owner ?? chat.owner) === me.value?.id,
    known: !!item,
    /** The user was in it and is no more (transferred it, passed over): what the client knows of it is old. */
    gone: !item && linesLoaded.value,
    ...code,
  };
});

/**
 * The customer's rating of a finished session: their last message is "1" (good) or "0" (bad) right
 * after one of the line's own lines (the rating request, or the thanks the portal posts for the vote).
 * The portal takes such a message as the rating only after a session closed and asked for one; no
 * method reports the vote itself, so this is read from the conversation.
 */
export const rating = computed<'like' | 'dislike' | ''>(() => {
  if (session.value?.phase !== 'closed') return '';
  const list = dialog.messages;
  for (let k = list.length - 1; k > 0; k--) {
    const m = list[k];
    if (m.system || !m.author_id || !users[m.author_id]?.connector) continue;
    const said = bbcodeToText(m.text).trim();
    return (said === '1' || said === '0') && list[k - 1].system ? (said === '1' ? 'like' : 'dislike') : '';
  }
  return '';
});

/** The customer of the open line chat: the USER_CODE's user, else the connector user who wrote in it. */
export const customerId = computed(() => {
  const s = session.value;
  if (!s) return 0;
  if (s.customerId) return s.customerId;
  return dialog.messages.find((m) => m.author_id && users[m.author_id]?.connector)?.author_id ?? 0;
});
