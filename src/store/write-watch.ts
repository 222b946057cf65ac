/**
 * A Kysely plugin that notices, in this process, statements that changed rows of chosen tables
 * (an UPDATE of chosen columns, or any DELETE), and calls back after they ran. Watching the
 * database handle itself covers every code path, including code written later, without a call at
 * each place. Changes made by another process are not seen here; each watcher says how it learns of
 * those (src/realtime/revocations.ts, src/auth/caller-cache.ts).
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** What one watcher cares about: per table, the updated columns that matter (`*`: any); a delete always matters. */
export interface WriteWatcher {
  tables: ReadonlyMap<string, readonly string[]>;
  /** Columns whose updates never matter, even under `*` (an UPDATE that sets only these is not a change). */
  ignored?: ReadonlySet<string>;
  onWrite(): void;
}

/** One plugin for several watchers, so each query is looked at once whatever their number. */
export function watchWrites(watchers: WriteWatcher[]): KyselyPlugin {
  const pending = new WeakMap<object, WriteWatcher[]>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const hit = watchers.filter((w) => touches(args.node, w));
      if (hit.length) pending.set(args.queryId, hit);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const hit = pending.get(args.queryId);
      if (hit) {
        pending.delete(args.queryId);
        // A statement that touched nothing (e.g. clearing expired tokens when there are none) changed nothing.
        if (args.result.numAffectedRows === undefined || args.result.numAffectedRows > 0n) for (const w of hit) w.onWrite();
      }
      return args.result;
    },
  };
}

function touches(node: RootOperationNode, { tables, ignored }: WriteWatcher): boolean {
  if (node.kind === 'DeleteQueryNode') return node.from.froms.some((f) => tables.has(tableName(f)));
  if (node.kind !== 'UpdateQueryNode' || !node.table) return false;
  const columns = tables.get(tableName(node.table));
  if (!columns) return false;
  const set = (node.updates ?? []).map((u) => columnName(u.column)).filter((c) => !ignored?.has(c));
  return set.length > 0 && (columns.includes('*') || set.some((c) => columns.includes(c)));
}

/** `tokens` for a TableNode, or an aliased one (`tokens as t`); '' for anything else. */
function tableName(node: OperationNode): string {
  const n = node as { kind: string; node?: OperationNode; table?: { identifier?: { name?: string } } };
  if (n.kind === 'AliasNode' && n.node) return tableName(n.node);
  return n.kind === 'TableNode' ? (n.table?.identifier?.name ?? '') : '';
}

function columnName(node: OperationNode): string {
  const n = node as { kind: string; column?: { name?: string } };
  return n.kind === 'ColumnNode' ? (n.column?.name ?? '') : '';
}
