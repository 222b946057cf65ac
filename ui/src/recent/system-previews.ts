/**
 * The recent list's preview of a system line in the reader's language. im.recent.get gives the last
 * message's stored text only (English, with no PARAMS, as Bitrix24's recent list does), so for each
 * row whose last message is a system line the message itself is fetched once, with its facts
 * (COMPONENT_ID / COMPONENT_PARAMS), such rows together in `batch` calls of at most 50, and worded
 * as the dialog words it.
 */
import { reactive } from 'vue';
import { call } from '../api.ts';
import { systemText } from '../chats/system-lines.ts';
import type { RecentItem, WireMessage } from '../types.ts';

/** System lines by message id; null when the message could not be read (its stored text is shown). */
const lines = reactive(new Map<number, WireMessage | null>());

const isSystem = (i: RecentItem) => !!i.message && i.message.author_id === 0 && i.message.id > 0;

/** Fetch the system lines of `items` not fetched before; until then, or if one cannot be read, the stored text shows. */
export async function learnSystemLines(items: RecentItem[]): Promise<void> {
  const wanted = items.filter((i) => isSystem(i) && !lines.has(i.message!.id));
  // Marked asked at once, so a reload of the list meanwhile does not ask for them again.
  for (const i of wanted) lines.set(i.message!.id, null);
  // A batch takes at most 50 calls: the rest are asked in further batches.
  for (let i = 0; i < wanted.length; i += BATCH_MAX) await learnBatch(wanted.slice(i, i + BATCH_MAX));
}

/** The most calls one `batch` takes (as Bitrix24's). */
const BATCH_MAX = 50;

async function learnBatch(wanted: RecentItem[]): Promise<void> {
  const cmd: Record<string, string> = {};
  for (const i of wanted) {
    // The one message before LAST_ID = id + 1 is the message itself.
    cmd[`m${i.message!.id}`] = `im.dialog.messages.get?${new URLSearchParams({ DIALOG_ID: String(i.id), LAST_ID: String(i.message!.id + 1), LIMIT: '1' })}`;
  }
  const answer = await call<{ result: Record<string, { messages?: WireMessage[] }> }>('batch', { halt: 0, cmd }).catch(() => null);
  // The call itself failed (offline, say): asked again with the next reload of the list.
  if (!answer) return void wanted.forEach((i) => lines.delete(i.message!.id));
  for (const i of wanted) {
    const m = answer.result?.[`m${i.message!.id}`]?.messages?.find((x) => x.id === i.message!.id);
    if (m) lines.set(m.id, m);
  }
}

/** The row's system line worded for this reader (BB-code), or null when it is no system line or not fetched. */
export function systemLineOf(i: RecentItem): string | null {
  const m = isSystem(i) ? lines.get(i.message!.id) : null;
  return m ? systemText(m) : null;
}
