/** The paging both developer-console logs (events, REST calls) share. */
import { nextOffset, Page, PAGE_SIZE, type CallContext } from '../../rest/registry.ts';

/**
 * One page of a log as a list answer: `list` gives the rows from the call's `start` (50 a page, as
 * Bitrix24's lists) and how many there are in all; `wire` turns the rows into the items shown.
 */
export async function logPage<R>(
  ctx: CallContext,
  list: (offset: number, limit: number) => Promise<{ rows: R[]; total: number }>,
  wire: (rows: R[]) => unknown[] | Promise<unknown[]>,
): Promise<Page> {
  const start = Math.max(0, ctx.start);
  const { rows, total } = await list(start, PAGE_SIZE);
  return new Page(await wire(rows), total, nextOffset(start, PAGE_SIZE, total));
}
