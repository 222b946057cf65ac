/**
 * Presence: what the portal says about people's status (im.user.get's `status`, `idle` and
 * `last_activity_date`), the signed-in user's choice of status (im.user.status.set), a `presence`
 * push {userId} (read the person again) where the portal sends one, and a slow poll of the people
 * on screen for what no push covers (going offline is a lack of activity, not an event).
 */
import { call } from '../api.ts';
import { dialog } from '../dialog.ts';
import { me, onPush, recent, rememberUsers, users } from '../store.ts';
import { strings } from '../i18n.ts';
import type { WireUser } from '../types.ts';

/** The statuses a user may choose here (Bitrix24 also has "break", shown but not offered). */
export const CHOOSABLE = ['online', 'dnd', 'away'] as const;
/** What a dot shows. */
export type Presence = 'online' | 'dnd' | 'away' | 'break' | 'offline';

/** Presence strings in both languages. */
export const px = strings({
  en: { online: 'Online', dnd: 'Do not disturb', away: 'Away', break: 'On a break', offline: 'Offline', status: 'Status', statusOf: '{name}: {status}' },
  ru: { online: 'В сети', dnd: 'Не беспокоить', away: 'Отошёл', break: 'Перерыв', offline: 'Не в сети', status: 'Статус', statusOf: '{name}: {status}' },
});

/** Without any REST call for this long, a person counts as offline (the portal records activity once a minute). */
const OFFLINE_AFTER_MS = 15 * 60_000;
/** How often the people on screen are asked for again. */
const POLL_MS = 10_000;

type PresenceFields = Pick<WireUser, 'id' | 'bot' | 'status'> & { idle?: string | false; last_activity_date?: string | false };

/** A user's presence from the freshest record known; undefined for bots, which have none. */
export function presenceOf(user: PresenceFields | undefined): Presence | undefined {
  const u = (user && (users[user.id] as PresenceFields | undefined)) ?? user;
  if (!u || u.bot) return undefined;
  // The signed-in user is using the portal right now, whatever the last recorded minute says.
  const self = u.id === me.value?.id;
  const last = u.last_activity_date ? Date.parse(u.last_activity_date) : 0;
  if (!self && (!last || Date.now() - last > OFFLINE_AFTER_MS)) return 'offline';
  if (u.status === 'dnd' || u.status === 'break') return u.status;
  if (u.status === 'away' || (!self && u.idle)) return 'away';
  return 'online';
}

/** Set the signed-in user's status; the portal's refusal is thrown. */
export async function setMyStatus(status: (typeof CHOOSABLE)[number]): Promise<void> {
  await call('im.user.status.set', { STATUS: status });
  const mine = me.value;
  if (!mine) return;
  me.value = { ...mine, status };
  users[mine.id] = { ...(users[mine.id] ?? mine), status };
}

/** The people whose dots are on screen: the private dialogs of the recent list and the open dialog's peer. */
function onScreen(): number[] {
  const ids = new Set<number>();
  for (const i of recent.value) if (i.type === 'user' && i.user?.id) ids.add(i.user.id);
  if (dialog.peer) ids.add(dialog.peer.id);
  return [...ids].filter((id) => id !== me.value?.id && !users[id]?.bot).slice(0, 50);
}

async function poll(): Promise<void> {
  if (!me.value || document.visibilityState === 'hidden') return;
  const ids = onScreen();
  if (!ids.length) return;
  const found = await call<Record<string, WireUser | null>>('im.user.list.get', { ID: ids });
  rememberUsers(Object.values(found).filter((u): u is WireUser => !!u));
}
setInterval(() => void poll().catch(() => {}), POLL_MS);

onPush((p) => {
  if (p.type !== 'presence' || !p.userId) return;
  call<WireUser>('im.user.get', { ID: p.userId }).then((u) => rememberUsers([u]), () => {});
});
