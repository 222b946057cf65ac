/**
 * Events are stored without tokens. Where a payload needs a token block, it holds a marker that the
 * dispatcher turns into fresh tokens at send time, so a redelivery hours later still carries
 * working credentials and no secrets sit in the outbox.
 */
import type { Selectable } from 'kysely';
import type { Portal } from '../portal.ts';
import type { AppsTable } from '../store/schema.ts';
import { anonymousBlock, tokenBlock, tokenForEvent } from '../auth/tokens.ts';

/** Marker for `data[BOT][id]`: the bot's token block plus AUTH, BOT_ID and BOT_CODE. */
export interface BotAuthMarker { __bot_auth__: { id: number; code: string } }

/** The marker that stands for a bot's token block in a stored payload. */
export function botAuth(id: number, code: string): BotAuthMarker {
  return { __bot_auth__: { id, code } };
}

/** Marker for a Chatbots 2.0 webhook event's `data.bot`: `{id, code, auth}` with the bot's token block (events.md). */
export interface BotV2AuthMarker { __bot_v2_auth__: { id: number; code: string } }

/** The marker that stands for a v2 bot's `{id, code, auth}` in a stored payload. */
export function botV2Auth(id: number, code: string): BotV2AuthMarker {
  return { __bot_v2_auth__: { id, code } };
}

/** The top-level `auth` for a user (full tokens) or, for user 0, the reduced block. */
export async function userAuth(portal: Portal, app: Selectable<AppsTable>, userId: number): Promise<Record<string, unknown>> {
  if (!userId || !app.installed) return anonymousBlock(portal, app);
  return tokenBlock(portal, app, await tokenForEvent(portal, portal.db, app, userId));
}

/** Replace every marker in a payload by its token block. */
export async function resolveMarkers(portal: Portal, app: Selectable<AppsTable>, value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveMarkers(portal, app, v)));
  if (!value || typeof value !== 'object') return value;
  const { __bot_auth__: marker, __bot_v2_auth__: v2, ...siblings } = value as Partial<BotAuthMarker & BotV2AuthMarker> & Record<string, unknown>;
  if (v2) return { id: v2.id, code: v2.code, auth: { ...(await userAuth(portal, app, v2.id)), client_id: app.client_id } };
  if (marker) {
    // Keys beside the marker (ONIMCOMMANDADD's COMMAND, COMMAND_ID, …) follow the token block.
    const block = { ...(await userAuth(portal, app, marker.id)), client_id: app.client_id };
    return { ...block, AUTH: block, BOT_ID: marker.id, BOT_CODE: marker.code, ...siblings };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await resolveMarkers(portal, app, v);
  return out;
}

/**
 * A payload with its markers replaced by what they name without any token (an offline event's
 * EVENT_DATA: the app that reads it calls with its own token).
 */
export function stripMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMarkers);
  if (!value || typeof value !== 'object') return value;
  const { __bot_auth__: marker, __bot_v2_auth__: v2, ...siblings } = value as Partial<BotAuthMarker & BotV2AuthMarker> & Record<string, unknown>;
  if (v2) return { id: v2.id, code: v2.code };
  if (marker) return { BOT_ID: marker.id, BOT_CODE: marker.code, ...siblings };
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(value)) out[k] = stripMarkers(v);
  return out;
}
