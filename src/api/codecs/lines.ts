/**
 * The parameters of open-line methods: a line's PARAMS (imopenlines.config.add / update), its QUEUE
 * in either documented spelling, and CONFIG_ID. Generic codecs: src/rest/schema.ts.
 */
import { fail } from '../../errors.ts';
import { obj } from '../../rest/params.ts';
import { Codec, c } from '../../rest/schema.ts';
import type { QueueEntry } from '../../domain/lines/lines.ts';

/** What PARAMS of config.add / update give: LINE_NAME, ACTIVE and QUEUE when sent, and every field upper-cased. */
export interface LineParams { name?: string; active?: boolean; queue?: QueueEntry[]; params: Record<string, unknown> }

const YES = new Set(['Y', 'YES', 'TRUE', '1']);

/** A value's own keys upper-cased (Bitrix24 reads PARAMS with array_change_key_case). */
function upperKeys(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k.toUpperCase()] = x;
  return out;
}

/**
 * QUEUE as the docs write it, `[{ENTITY_TYPE: user|department, ENTITY_ID}]`, or as plain user ids
 * (`[1, 15]`, `QUEUE[]=1`, `"1,15"`). An entry that names no positive id or an unknown type is left
 * out here; whether the id is a person or a department of the portal is the domain's check.
 */
export function queueEntries(raw: unknown): QueueEntry[] {
  const items = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : typeof raw === 'string' ? raw.split(',') : raw === undefined || raw === null ? [] : [raw];
  const out: QueueEntry[] = [];
  for (const item of items) {
    let type = 'user';
    let id: unknown = item;
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const e = upperKeys(item as Record<string, unknown>);
      type = String(e.ENTITY_TYPE ?? 'user').trim().toLowerCase();
      id = e.ENTITY_ID;
    }
    const n = typeof id === 'number' ? id : typeof id === 'string' && /^\s*\d{1,15}\s*$/.test(id) ? Number(id) : NaN;
    if ((type === 'user' || type === 'department') && Number.isSafeInteger(n) && n > 0) out.push({ type, id: n });
  }
  return out;
}

/** PARAMS of imopenlines.config.add / update: the line's name, ACTIVE, QUEUE and the config fields. */
export function lineParams(): Codec<LineParams> {
  return new Codec<LineParams>('object', (p, name) => {
    const params = upperKeys(obj(p, name));
    const out: LineParams = { params };
    if (typeof params.LINE_NAME === 'string' || typeof params.LINE_NAME === 'number') out.name = String(params.LINE_NAME).trim().slice(0, 255) || undefined;
    if (params.ACTIVE !== undefined && params.ACTIVE !== null && typeof params.ACTIVE !== 'object') out.active = YES.has(String(params.ACTIVE).toUpperCase());
    if ('QUEUE' in params) out.queue = queueEntries(params.QUEUE);
    return out;
  });
}

/** CONFIG_ID: a line's id, CONFIG_ID_EMPTY when missing or not a positive integer. */
export const configId = () => c.id('CONFIG_ID_EMPTY');

/**
 * The caller as one who may change lines ("permission to modify open channels"): in Parley a portal
 * administrator, calling directly or through an app token or webhook acting for them. Others get
 * CONFIG_WRONG_USER_PERMISSION (403). Reads no parameter: declare it under a `_` key where Bitrix24
 * checks the permission.
 */
export function lineManager(): Codec<true> {
  return new Codec<true>('caller', (_p, _name, ctx) => {
    if (!ctx.user.is_admin) fail('CONFIG_WRONG_USER_PERMISSION', 'Permission denied: only a portal administrator may change open lines');
    return true;
  }, false, 'CONFIG_WRONG_USER_PERMISSION');
}
