/**
 * A line as imopenlines.config.get and config.list.get answer it: every scalar a string (as the docs'
 * examples show: `"ID":"22"`, `"QUEUE_TIME":"60"`), list fields as arrays, the queue as operator ids
 * and, on request, the queue's rows and the operators' per-line profile fields.
 */
import type { Portal } from '../../portal.ts';
import { CONFIG_FIELDS, settingsOf, type ConfigField, type Line } from '../../domain/lines/config.ts';
import { queueMembers, queueOf, type QueueMember } from '../../domain/lines/lines.ts';
import { findUsers } from '../../domain/users.ts';

/** Every field a read answers, in its order: the line's own, every config field, then the record's. */
export const READ_FIELDS = ['ID', 'LINE_NAME', 'ACTIVE', ...Object.keys(CONFIG_FIELDS), 'DATE_CREATE', 'DATE_MODIFY', 'MODIFY_USER_ID', 'XML_ID',
  'KPI_FIRST_ANSWER_LIST', 'KPI_FURTHER_ANSWER_LIST'] as const;

/** One line's fields as strings (lists as arrays), without the queue. */
export function wireLine(line: Line): Record<string, unknown> {
  const s = settingsOf(line);
  // NETWORK_CODE is Parley's: the code people join the line by (imopenlines.network.join).
  const out: Record<string, unknown> = { ID: String(line.id), LINE_NAME: line.name, ACTIVE: line.active ? 'Y' : 'N', NETWORK_CODE: line.network_code, LIVECHAT_CODE: line.livechat_code };
  for (const field of Object.keys(CONFIG_FIELDS) as ConfigField[]) {
    const v = s[field] as unknown;
    // Bitrix24 explodes an empty list into [""] and serialises an empty object as [] (PHP arrays).
    if (Array.isArray(v)) out[field] = v.length ? v.map(String) : [''];
    else if (v && typeof v === 'object') out[field] = Object.keys(v).length ? v : [];
    else out[field] = String(v ?? '');
  }
  // Dates are Bitrix24 DateTime objects, which its JSON encoder writes as {} (the docs' example).
  Object.assign(out, { DATE_CREATE: {}, DATE_MODIFY: {}, MODIFY_USER_ID: String(line.modify_user_id), XML_ID: null, KPI_FIRST_ANSWER_LIST: null, KPI_FURTHER_ANSWER_LIST: null });
  return out;
}

/**
 * What a customer is shown of an operator instead of their profile (OPERATOR_DATA=queue): Parley
 * keeps no such per-line fields, so each is null ("use the profile") and the avatar id "0".
 */
export function queueUserFields(): Record<string, unknown> {
  return { USER_NAME: null, USER_WORK_POSITION: null, USER_AVATAR: null, USER_AVATAR_ID: '0' };
}

/** Whether an operator counts as online for SHOW_OFFLINE=N: status "online" and not idle. */
function online(u: { status: string; idle_at: number } | undefined): boolean {
  return !!u && u.status === 'online' && !u.idle_at;
}

/** The queue parts of config.get: QUEUE (operator ids as strings) and, with WITH_QUEUE, the queue's rows. */
export async function wireQueue(portal: Portal, line: Line, withQueue: boolean, showOffline: boolean): Promise<Record<string, unknown>> {
  const members = await queueMembers(portal.db, line.id);
  const out: Record<string, unknown> = { QUEUE: members.map((m) => String(m.userId)) };
  if (!withQueue) return out;
  let shown: QueueMember[] = members;
  if (!showOffline) {
    const users = await findUsers(portal.db, members.map((m) => m.userId));
    shown = members.filter((m) => online(users.get(m.userId)));
  }
  const full: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  members.forEach((m, i) => {
    if (!shown.includes(m)) return;
    // Parley's queue rows have no ids of their own: ID is the operator's place in the line's queue, from 1.
    full[String(m.userId)] = { ID: String(i + 1), SORT: String(i), USER_ID: String(m.userId), DEPARTMENT_ID: String(m.departmentId), ...queueUserFields() };
    fields[String(m.userId)] = queueUserFields();
  });
  // An empty PHP array is [] on the wire.
  out.QUEUE_FULL = shown.length ? full : [];
  out.QUEUE_USERS_FIELDS = shown.length ? fields : [];
  out.QUEUE_ONLINE = settingsOf(line).CHECK_AVAILABLE;
  return out;
}

/** config.list.get's OPTIONS parts: QUEUE (operator ids as numbers) with QUEUE_USERS_FIELDS, and CONFIG_QUEUE (the queue as set). */
export async function wireListQueue(portal: Portal, line: Line, queue: boolean, configQueue: boolean): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  if (queue) {
    const ids = (await queueMembers(portal.db, line.id)).map((m) => m.userId);
    out.QUEUE = ids;
    out.QUEUE_USERS_FIELDS = ids.length ? Object.fromEntries(ids.map((id) => [String(id), queueUserFields()])) : [];
  }
  if (configQueue) out.CONFIG_QUEUE = (await queueOf(portal.db, line.id)).map((e) => ({ ENTITY_ID: String(e.id), ENTITY_TYPE: e.type }));
  return out;
}
