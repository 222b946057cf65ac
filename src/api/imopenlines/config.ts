/**
 * imopenlines.config.add / update / get / delete / path.get: open lines and their configuration
 * (docs/OPEN-LINES.md). Anyone with the scope reads lines; only portal administrators (and their
 * apps and webhooks) create, change and delete them. config.list.get is in config.list.ts.
 */
import { defineMethod } from '../../rest/registry.ts';
import { c } from '../../rest/schema.ts';
import { runAction } from '../../domain/action.ts';
import { checkQueue, createLine, deleteLine, findLine, updateLine, type QueueEntry } from '../../domain/lines/lines.ts';
import { configId, lineManager, lineParams, type LineParams } from '../codecs/lines.ts';
import { wireLine, wireQueue } from './config-wire.ts';

/** The domain's input from PARAMS: queue entries that may not be in a line's queue are dropped. */
async function lineInput(db: Parameters<typeof checkQueue>[0], p: LineParams): Promise<{ name?: string; active?: boolean; queue?: QueueEntry[]; params: Record<string, unknown> }> {
  const queue = p.queue ? (await checkQueue(db, p.queue)).valid : undefined;
  return { name: p.name, active: p.active, queue, params: p.params };
}

defineMethod({
  name: 'imopenlines.config.add', scope: 'imopenlines', access: 'settings', denied: 'CONFIG_WRONG_USER_PERMISSION',
  params: { _manager: lineManager(), PARAMS: lineParams() },
  handler: (ctx, input) => runAction(ctx.portal, async (trx) => createLine(trx, ctx.user.id, await lineInput(trx, input.PARAMS))),
});

defineMethod({
  name: 'imopenlines.config.update', scope: 'imopenlines', access: 'settings', denied: 'CONFIG_WRONG_USER_PERMISSION',
  params: { CONFIG_ID: configId(), _manager: lineManager(), PARAMS: lineParams() },
  // false when there is no such line (the docs' answer).
  handler: (ctx, input) => runAction(ctx.portal, async (trx) => updateLine(trx, input.CONFIG_ID, ctx.user.id, await lineInput(trx, input.PARAMS))),
});

defineMethod({
  name: 'imopenlines.config.delete', scope: 'imopenlines', access: 'settings', denied: 'CONFIG_WRONG_USER_PERMISSION',
  params: { CONFIG_ID: configId(), _manager: lineManager() },
  handler: (ctx, input) => runAction(ctx.portal, (trx) => deleteLine(trx, input.CONFIG_ID)),
});

defineMethod({
  name: 'imopenlines.config.get', scope: 'imopenlines', access: 'portal',
  // The docs give no defaults: the queue's rows come unless WITH_QUEUE=N, offline operators unless SHOW_OFFLINE=N.
  params: { CONFIG_ID: configId(), WITH_QUEUE: c.flag(true), SHOW_OFFLINE: c.flag(true) },
  async handler(ctx, input) {
    const line = await findLine(ctx.portal.db, input.CONFIG_ID);
    if (!line) return false;
    return { ...wireLine(line), ...(await wireQueue(ctx.portal, line, input.WITH_QUEUE, input.SHOW_OFFLINE)) };
  },
});

/** Where Parley's page for managing lines is: the developer console's Lines tab. */
export const LINES_PUBLIC_PATH = '/dev#lines';

defineMethod({
  name: 'imopenlines.config.path.get', scope: 'imopenlines', access: 'portal',
  params: {},
  async handler(ctx) {
    return { SERVER_ADDRESS: ctx.portal.publicUrl, PUBLIC_PATH: LINES_PUBLIC_PATH };
  },
});
