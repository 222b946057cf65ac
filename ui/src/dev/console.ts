/**
 * The developer console's shared state and helpers: the app, user and bot directories every panel
 * names things with, whether the signed-in user may use the console, copying and formatting. Data
 * comes only from the public parley.* methods and user.get / profile.
 */
import { ref } from 'vue';
import { call, callEnvelope, RestError } from '../api.ts';
import { notify } from '../store.ts';
import { lang } from '../i18n.ts';
import { tx } from './strings.ts';

/** An app of parley.app.list. */
export interface DevApp {
  id: number; name: string; client_id: string; client_secret: string; application_token: string; handler: string;
  scope: string[]; version: number; installed: boolean; bots: number; date_create: string;
  /** What the app put into the messenger: chat apps (imbot.app.*) and placement bindings. */
  chat_apps: { id: number; code: string; type: 'js' | 'iframe'; context: string }[];
  placements: { placement: string; handler: string; title: string }[];
  /** How the handler answered the newest attempted event. */
  handler_state: 'ok' | 'failing' | 'unreachable' | 'unknown'; delivery: 'retry' | 'once';
}
/** A command of parley.bot.list. */
export interface DevCommand {
  id: number; command: string; common: boolean; hidden: boolean; handler: string;
  lang: { LANGUAGE_ID: string; TITLE?: string; PARAMS?: string }[] | unknown;
}
/** A bot of parley.bot.list. */
export interface DevBot {
  id: number; app_id: number; code: string; type: string; openline: boolean; name: string;
  handlers: Record<string, string>; commands: DevCommand[]; date_create: string;
}
/** A delivery of parley.event.list. */
export interface Delivery {
  id: number; app_id: number; event: string; handler: string; event_handler_id: number; status: 'pending' | 'delivered' | 'dead' | 'discarded';
  attempts: number; data: unknown; auth_user_id: number; response_status: number | null; response_body: string | null;
  error: string | null; latency_ms: number | null; date_create: string; date_delivered: string | false; next_attempt: string | false;
  /** The dead letter of the same stream this pending delivery waits behind. */
  waiting_for: number | false;
  /** Sent from "Send a test event" (X-Parley-Test: 1). */
  test?: boolean;
}
/** An attempt of parley.event.get, with the request exactly as sent (secrets masked). */
export interface DeliveryAttempt {
  attempt: number; date: string; date_finished: string | false; state: 'finished' | 'running' | 'interrupted';
  status: number; latency_ms: number; error: string; response: string;
  request: { url: string; headers: Record<string, string>; body: string };
}
/** parley.event.get: a delivery with every attempt kept. */
export type DeliveryDetail = Omit<Delivery, 'attempts'> & { attempt_count: number; attempts: DeliveryAttempt[]; request: DeliveryAttempt['request'] | null };
/** A call of parley.call.list. */
export interface LoggedCall {
  id: number; method: string; user_id: number; app_id: number; webhook_id: number; params: unknown; status: number;
  error: string | false; result: unknown; duration_ms: number; date: string;
}
/** A department of im.department.get and im.search.department.list (what the console shows). */
export interface DevDepartment { id: number; name: string; full_name: string }
/** A user of user.get (only what the console shows). */
export interface DevUser { ID: string; NAME?: string; LAST_NAME?: string }

/** The scopes a local app or webhook may ask for (the portal's list in src/domain/apps.ts; parley: the admin methods, never ticked by default). */
export const KNOWN_SCOPES = ['basic', 'imbot', 'im', 'imopenlines', 'imconnector', 'placement', 'user', 'user_brief', 'user_basic', 'department', 'task', 'tasks', 'disk', 'pull', 'crm', 'parley'];
/** The events the portal sends to handlers, for the event log's filter. */
export const KNOWN_EVENTS = ['ONAPPINSTALL', 'ONAPPUPDATE', 'ONAPPUNINSTALL', 'ONIMBOTJOINCHAT', 'ONIMBOTMESSAGEADD',
  'ONIMBOTMESSAGEUPDATE', 'ONIMBOTMESSAGEDELETE', 'ONIMCOMMANDADD', 'ONIMBOTDELETE'];

/** 'unknown' until profile answers, then whether the user is a portal administrator. */
export const access = ref<'unknown' | 'admin' | 'denied'>('unknown');
export const apps = ref<DevApp[]>([]);
export const bots = ref<DevBot[]>([]);
export const users = ref<DevUser[]>([]);

/** Ask the portal whether the signed-in user is an administrator (profile's ADMIN). */
export async function checkAccess(): Promise<void> {
  try {
    const p = await call<{ ADMIN: boolean }>('profile');
    access.value = p.ADMIN ? 'admin' : 'denied';
  } catch (err) {
    report(err);
  }
}

/**
 * Show a failed call to the user. ACCESS_DENIED means the portal itself refused (rights were taken
 * away meanwhile): the console then shows the refusal page rather than a half-working screen.
 */
export function report(err: unknown): void {
  if (err instanceof RestError && err.code === 'ACCESS_DENIED') access.value = 'denied';
  else notify(err instanceof RestError ? `${err.code}: ${err.message}` : String((err as Error)?.message ?? err));
}

/** A panel's reload and its busy flag: a failure is reported, and the flag always drops. */
export function useRefresh(load: () => Promise<void>) {
  const loading = ref(false);
  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      await load();
    } catch (err) {
      report(err);
    } finally {
      loading.value = false;
    }
  }
  return { loading, refresh };
}

export async function loadApps(): Promise<void> {
  apps.value = await call<DevApp[]>('parley.app.list');
}
export async function loadBots(): Promise<void> {
  bots.value = await call<DevBot[]>('parley.bot.list');
}
/** Every user (user.get pages by 50; a portal's first thousand are plenty for a picker). */
export async function loadUsers(): Promise<void> {
  const all: DevUser[] = [];
  for (let start = 0; start < 1000;) {
    const page = await callEnvelope<DevUser[]>('user.get', { start });
    all.push(...(Array.isArray(page.result) ? page.result : []));
    if (page.next === undefined) break;
    start = page.next;
  }
  users.value = all;
}

export const appName = (id: number) => apps.value.find((a) => a.id === id)?.name;
export const botName = (id: number) => bots.value.find((b) => b.id === id)?.name;
export function userName(id: number): string {
  const u = users.value.find((x) => Number(x.ID) === id);
  const name = u ? [u.NAME, u.LAST_NAME].filter(Boolean).join(' ') : '';
  return name || tx('userN', { id });
}

/** Copy text to the clipboard, falling back to a hidden field where the Clipboard API is missing. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  notify(tx('copied'));
}

/** A wire date (ISO) as a local date and time in the UI language. */
export function when(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang.value, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * An event's stored data as the handler received it: the outbox keeps a marker where a bot's token
 * block goes (tokens are minted at send time, never stored), shown here in the delivered shape
 * with a note instead of the secrets.
 */
export function deliveredShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deliveredShape);
  if (!v || typeof v !== 'object') return v;
  const { __bot_auth__: marker, ...rest } = v as { __bot_auth__?: { id?: unknown; code?: unknown } } & Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (marker && typeof marker === 'object') Object.assign(out, { AUTH: tx('tokensAtSend'), BOT_ID: marker.id, BOT_CODE: marker.code });
  for (const [k, x] of Object.entries(rest)) out[k] = deliveredShape(x);
  return out;
}

/** A value as indented JSON for a <pre> (strings stay as they are: a handler's body is text). */
export function pretty(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}
