/**
 * Read receipts: how far each member of the open chat has read. The starting point is im.dialog.get's
 * `readed_list` (dialog.ts loads it with the chat); the `dialog.read` push {chatId, userId, lastId}
 * moves a reader on live. Positions only go forward here, so an older answer never undoes a push.
 */
import { computed, reactive, watch } from 'vue';
import { dialog } from '../dialog.ts';
import { me, onPush } from '../store.ts';

/** chat id → reader id → the last message id they read. */
export const reads = reactive<Record<number, Record<number, number>>>({});

function advance(chatId: number, userId: number, lastId: number): void {
  if (!chatId || !userId || !Number.isFinite(lastId)) return;
  reads[chatId] ??= {};
  if ((reads[chatId][userId] ?? 0) < lastId) reads[chatId][userId] = lastId;
}

interface ReadEntry { user_id: number; message_id: number }
watch(() => dialog.chat, (chat) => {
  const list = (chat as { readed_list?: unknown } | null)?.readed_list;
  if (!chat || !Array.isArray(list)) return;
  for (const r of list as ReadEntry[]) advance(chat.id, Number(r.user_id), Number(r.message_id));
});

onPush((p) => {
  if (p.type !== 'dialog.read' || !p.chatId || !p.userId || p.userId === me.value?.id) return;
  advance(p.chatId, p.userId, Number((p as { lastId?: unknown }).lastId));
});

/** The newest message of the signed-in user in the open dialog: the one the receipt goes under. */
export const lastOwnId = computed(() => {
  for (let i = dialog.messages.length - 1; i >= 0; i--) {
    const m = dialog.messages[i];
    if (!m.system && m.author_id === me.value?.id) return m.id;
  }
  return 0;
});

/** Who (other than the signed-in user) has read message `id` of chat `chatId`. */
export function readersOf(chatId: number, id: number): number[] {
  const byUser = reads[chatId] ?? {};
  return Object.entries(byUser).filter(([uid, last]) => Number(uid) !== me.value?.id && last >= id).map(([uid]) => Number(uid));
}
