/**
 * @mentions in the composer: typing "@" and the start of a name (at the start of the input or after a
 * space) lists the dialog's members whose first or last name starts so, then — from three characters
 * on — the other people the portal finds (im.search.user.list). Arrow keys move, Enter or Tab (or a
 * click) puts `[USER=id]Name[/USER] ` in place of "@…", Escape closes the list. In a group chat the
 * first option is everyone (`[USER=all]`, offered for "@", "@all", "@everyone" or "@все"). The portal
 * turns the mention into a notification for that person, or each member (src/domain/mentions.ts).
 */
import { computed, nextTick, ref, watch, type Ref } from 'vue';
import { call } from '../api.ts';
import { dialog } from '../dialog.ts';
import { me, rememberUsers } from '../store.ts';
import { lang } from '../i18n.ts';
import { listOf, searchable } from '../search.ts';
import type { WireUser } from '../types.ts';

const LIMIT = 8;

/** The members of the open dialog (im.dialog.users.list), loaded again when their number changes. */
const members = ref<WireUser[]>([]);
let membersOf = '';
async function loadMembers(dialogId: string, count: number): Promise<void> {
  const key = `${dialogId}:${count}`;
  if (membersOf === key) return;
  if (!membersOf.startsWith(`${dialogId}:`)) members.value = [];
  membersOf = key;
  const list = await call<WireUser[]>('im.dialog.users.list', { DIALOG_ID: dialogId, LIMIT: 200 }).catch(() => [] as WireUser[]);
  if (membersOf !== key) return;
  rememberUsers(list);
  members.value = list;
}

/** The "everyone" option's id: no user has it; choosing it writes [USER=all]. */
export const EVERYONE = 0;
/** The words that offer everyone, in either language. */
const EVERYONE_WORDS = ['all', 'everyone', 'все', 'всем'];

/** The "everyone" option, named in the UI's language. */
const everyone = (): WireUser => ({ id: EVERYONE, name: lang.value === 'ru' ? 'Все' : 'Everyone', color: '', avatar: '', bot: false });

/** Whether a name answers a query: its whole, or any word of it, starts with what was typed. */
const matches = (u: WireUser, q: string) => {
  const name = u.name.toLocaleLowerCase();
  return !q || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
};

/** The "@…" being typed just before the caret: where it starts and what follows the @. */
function typedAt(text: string, caret: number): { start: number; query: string } | null {
  const m = /(?:^|\s)@([^\s@[\]]{0,40})$/u.exec(text.slice(0, caret));
  return m ? { start: caret - m[1].length - 1, query: m[1] } : null;
}

/** The mention list of a composer whose text is `text` and whose textarea is `input`. */
export function useMentions(text: Ref<string>, input: Ref<HTMLTextAreaElement | null>) {
  const at = ref<{ start: number; query: string } | null>(null);
  const pick = ref(0);
  /** People the portal found for the query (beyond the members). */
  const found = ref<WireUser[]>([]);
  /** The "@" the user closed the list at with Escape: it stays closed until they type elsewhere. */
  let dismissed = -1;
  let searchSeq = 0;

  /** Read the caret again (after input, a click, arrow keys that moved it). */
  function update(): void {
    const el = input.value;
    const next = el ? typedAt(text.value, el.selectionStart ?? text.value.length) : null;
    at.value = next && next.start !== dismissed ? next : null;
    if (!next) dismissed = -1;
  }

  watch(() => [dialog.dialogId, dialog.chat?.user_counter ?? 0] as const, ([id, count]) => id && void loadMembers(id, count), { immediate: true });
  watch(() => at.value?.query, async (q) => {
    const seq = ++searchSeq;
    found.value = [];
    if (q === undefined || !searchable(q)) return;
    const hits = listOf(await call<WireUser[] | Record<string, WireUser>>('im.search.user.list', { FIND: q }).catch(() => []));
    if (seq !== searchSeq) return;
    rememberUsers(hits);
    found.value = hits;
  });

  /** Who is offered: members first, then others found, never oneself, at most eight. */
  const options = computed<WireUser[]>(() => {
    if (!at.value) return [];
    const q = at.value.query.toLocaleLowerCase();
    const seen = new Set<number>([me.value?.id ?? 0, EVERYONE]);
    const out: WireUser[] = [];
    // Everyone in a group chat (not a private dialog, not an open line's chat with a customer).
    const group = dialog.dialogId.startsWith('chat') && dialog.chat?.type !== 'lines' && !dialog.chat?.entity_type;
    if (group && (!q || EVERYONE_WORDS.some((w) => w.startsWith(q)))) out.push(everyone());
    for (const u of [...members.value.filter((m) => matches(m, q)), ...found.value]) {
      if (seen.has(u.id) || out.length >= LIMIT) continue;
      seen.add(u.id);
      out.push(u);
    }
    return out;
  });
  watch(options, () => (pick.value = 0));

  /** Put the mention of option `i` in place of the typed "@…". */
  async function choose(i: number): Promise<void> {
    const u = options.value[i];
    const el = input.value;
    if (!u || !at.value || !el) return;
    const caret = el.selectionStart ?? text.value.length;
    const tag = `[USER=${u.id === EVERYONE ? 'all' : u.id}]${u.name}[/USER] `;
    text.value = text.value.slice(0, at.value.start) + tag + text.value.slice(caret);
    const end = at.value.start + tag.length;
    at.value = null;
    await nextTick();
    el.focus();
    el.setSelectionRange(end, end);
  }

  /** A key in the textarea: true when the mention list took it. */
  function onKey(ev: KeyboardEvent): boolean {
    const list = options.value;
    if (!list.length) return false;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      pick.value = (pick.value + (ev.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length;
    } else if ((ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) || ev.key === 'Tab') {
      void choose(pick.value);
    } else if (ev.key === 'Escape') {
      dismissed = at.value?.start ?? -1;
      at.value = null;
    } else return false;
    ev.preventDefault();
    return true;
  }

  return { options, pick, choose, onKey, update };
}
