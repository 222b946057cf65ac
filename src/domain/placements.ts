/**
 * Messenger placements: handlers an application bound (placement.bind) to the places of the web
 * messenger where it opens them in a frame — the left navigation, the composer's panel, the chat
 * sidebar, a message's context menu, the smiles picker. Which places exist and under which scope,
 * who sees a binding (role, extranet, the kind of dialog), and the rows themselves.
 */
import type { Generated, Selectable } from 'kysely';
import type { Db } from '../store/db.ts';
import { isRowId } from '../store/row-id.ts';

declare module '../store/schema.ts' {
  interface Database { placements: PlacementsTable; placement_frames: PlacementFramesTable }
}

/** A bound handler (migration 0024). */
export interface PlacementsTable {
  id: Generated<number>;
  app_id: number;
  placement: string;
  handler: string;
  title: string;
  description: string;
  group_name: string;
  /** JSON: language → {title, description, groupName} (LangTexts). */
  lang_all: string;
  /** JSON: PlacementOptions. */
  options: string;
  /** 0: for everyone (the only kind the messenger places take). */
  user_id: number;
  created_at: number;
}

/** A frame the messenger opened (migration 0024): its APP_SID's hash, for whom and what, until when. */
export interface PlacementFramesTable {
  sid_hash: string;
  placement_id: number;
  app_id: number;
  user_id: number;
  expires_at: number;
  created_at: number;
}

/** A stored binding. */
export type Placement = Selectable<PlacementsTable>;

/** The kinds of dialog a binding may be limited to (`context`); CRM chats do not exist in Parley. */
export const CONTEXTS = ['USER', 'CHAT', 'LINES', 'CRM', 'ALL'] as const;
/** One of CONTEXTS. */
export type PlacementContext = (typeof CONTEXTS)[number];

/** The colours a textarea or sidebar item may have (the docs' list). */
export const PLACEMENT_COLORS = ['RED', 'GREEN', 'MINT', 'LIGHT_BLUE', 'DARK_BLUE', 'PURPLE', 'AQUA', 'PINK', 'LIME', 'BROWN',
  'AZURE', 'KHAKI', 'SAND', 'ORANGE', 'MARENGO', 'GRAY', 'GRAPHITE'] as const;

/** What a place needs and takes: its scope, whether an icon is required, which display options it reads. */
export interface PlaceKind {
  /** The scope the place is declared in: an app without it does not know the place (ERROR_PLACEMENT_NOT_FOUND). */
  scope: string;
  icon: 'required' | 'none';
  /** Whether it is limited by dialog kind (`context`), and has a colour, a size. */
  context: boolean;
  color: boolean;
  size: boolean;
}

/**
 * The messenger's places. IM_SMILES_SELECTOR is declared in the global `placement` scope (the docs
 * call it archived; Parley still shows it in its smiles picker); the others in `im`.
 */
export const PLACES: Record<string, PlaceKind> = {
  IM_NAVIGATION: { scope: 'im', icon: 'required', context: false, color: false, size: false },
  IM_TEXTAREA: { scope: 'im', icon: 'required', context: true, color: true, size: true },
  IM_SIDEBAR: { scope: 'im', icon: 'required', context: true, color: true, size: false },
  IM_CONTEXT_MENU: { scope: 'im', icon: 'none', context: true, color: false, size: false },
  IM_SMILES_SELECTOR: { scope: 'placement', icon: 'none', context: true, color: false, size: false },
};

/** The place codes an app with `scopes` may bind: those of its scopes, and the global ones. */
export function placesFor(scopes: readonly string[]): string[] {
  return Object.entries(PLACES).filter(([, k]) => k.scope === 'placement' || scopes.includes(k.scope)).map(([code]) => code);
}

/** A binding's display options, as the store keeps them. */
export interface PlacementOptions {
  iconName?: string;
  /** Kinds of dialog it shows in; ['ALL'] for every one. */
  context: PlacementContext[];
  adminOnly: boolean;
  extranet: boolean;
  color?: string;
  width?: number;
  height?: number;
}

/** TITLE, DESCRIPTION and GROUP_NAME in one language. */
export interface LangText { title: string; description: string; groupName: string }
/** LANG_ALL: language code → its texts. */
export type LangTexts = Record<string, LangText>;

/** What placement.bind stores. */
export interface NewPlacement {
  appId: number;
  placement: string;
  handler: string;
  title: string;
  description: string;
  groupName: string;
  langAll: LangTexts;
  options: PlacementOptions;
  userId: number;
}

/** Most handlers one app may bind: a bound on what the messenger lists and a stored row's count. */
export const MAX_PER_APP = 100;

/**
 * Bind a handler. The same handler bound again to the same place (and user) replaces its texts and
 * options rather than adding a second button: the docs name no error for it, and two identical
 * buttons would help no one. Answers false when the app already has MAX_PER_APP others.
 */
export async function bindPlacement(db: Db, p: NewPlacement, now: number): Promise<boolean> {
  const values = {
    title: p.title, description: p.description, group_name: p.groupName, lang_all: JSON.stringify(p.langAll), options: JSON.stringify(p.options),
  };
  const same = await db.selectFrom('placements').select('id').where('app_id', '=', p.appId).where('placement', '=', p.placement)
    .where('handler', '=', p.handler).where('user_id', '=', p.userId).executeTakeFirst();
  if (same) {
    await db.updateTable('placements').set(values).where('id', '=', same.id).execute();
    return true;
  }
  const count = await db.selectFrom('placements').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', p.appId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_PER_APP) return false;
  await db.insertInto('placements').values({ app_id: p.appId, placement: p.placement, handler: p.handler, user_id: p.userId, created_at: now, ...values }).execute();
  return true;
}

/**
 * Unbind an app's handlers of a place: one handler, or all of them when `handler` is ''; only those
 * of `userId` when given. Their open frames can no longer ask for tokens. Answers how many went.
 */
export async function unbindPlacement(db: Db, appId: number, placement: string, handler: string, userId?: number): Promise<number> {
  let q = db.selectFrom('placements').select('id').where('app_id', '=', appId).where('placement', '=', placement);
  if (handler) q = q.where('handler', '=', handler);
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  const ids = (await q.execute()).map((r) => Number(r.id));
  if (!ids.length) return 0;
  await db.deleteFrom('placement_frames').where('placement_id', 'in', ids).execute();
  await db.deleteFrom('placements').where('id', 'in', ids).execute();
  return ids.length;
}

/** Every binding and open frame of an app (uninstall). */
export async function removeAppPlacements(db: Db, appId: number): Promise<void> {
  await db.deleteFrom('placement_frames').where('app_id', '=', appId).execute();
  await db.deleteFrom('placements').where('app_id', '=', appId).execute();
}

/** An app's bindings, oldest first (placement.get). */
export async function appPlacements(db: Db, appId: number): Promise<Placement[]> {
  return db.selectFrom('placements').selectAll().where('app_id', '=', appId).orderBy('id').execute();
}

/** A binding by id, if its app is installed. */
export async function findPlacement(db: Db, id: number): Promise<Placement | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('placements').selectAll('placements').innerJoin('apps', 'apps.id', 'placements.app_id')
    .where('placements.id', '=', id).where('apps.installed', '=', 1).executeTakeFirst();
}

/** The bindings of installed apps, oldest first: what the messenger may show. */
export async function installedPlacements(db: Db): Promise<Placement[]> {
  return db.selectFrom('placements').selectAll('placements').innerJoin('apps', 'apps.id', 'placements.app_id')
    .where('apps.installed', '=', 1).orderBy('placements.id').execute();
}

/** A binding's stored options. */
export function optionsOf(p: Placement): PlacementOptions {
  return JSON.parse(p.options) as PlacementOptions;
}

/** A binding's stored texts per language. */
export function langTextsOf(p: Placement): LangTexts {
  return JSON.parse(p.lang_all) as LangTexts;
}

/** The title a user reading `lang` sees: that language's, the binding's TITLE, English, any. */
export function titleIn(p: Placement, lang: string): string {
  const texts = langTextsOf(p);
  return texts[lang]?.title || p.title || texts.en?.title || Object.values(texts).find((t) => t.title)?.title || '';
}

/** Who looks: an administrator or not. (Parley has no extranet users: every person is an employee.) */
export interface Viewer { isAdmin: boolean }

/**
 * The kind of a dialog for `context`: USER for a private dialog with a person (not a bot), CHAT for a
 * group chat, LINES for an open-line chat; undefined for a private dialog with a bot, which only ALL
 * admits.
 */
export type DialogKind = 'USER' | 'CHAT' | 'LINES' | undefined;

/** Whether a binding shows for this viewer (role) and, for places in a dialog, in a dialog of `kind`. */
export function shownTo(p: Placement, viewer: Viewer, inDialog: { kind: DialogKind } | null): boolean {
  const o = optionsOf(p);
  if (o.adminOnly && !viewer.isAdmin) return false;
  if (!PLACES[p.placement]?.context || !inDialog) return true;
  return o.context.includes('ALL') || (inDialog.kind !== undefined && o.context.includes(inDialog.kind));
}

/**
 * The origins (scheme://host:port) of the handlers of installed apps, and of those apps' own pages
 * (their handler_url, which a frame's openApplication opens): where the messenger's frames may go.
 */
export async function placementOrigins(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('placements').innerJoin('apps', 'apps.id', 'placements.app_id').select(['placements.handler', 'apps.handler_url'])
    .where('apps.installed', '=', 1).distinct().execute();
  const origins = new Set<string>();
  for (const url of rows.flatMap((r) => [r.handler, r.handler_url])) {
    try {
      if (url) origins.add(new URL(url).origin);
    } catch {
      // A stored handler was checked when bound; nothing to add if it no longer parses.
    }
  }
  return [...origins];
}
