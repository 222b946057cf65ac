/**
 * Notices, in this process, statements that may take a credential away: a token or webhook deleted
 * or changed, an app uninstalled or re-scoped, a user deactivated. It watches the portal's own
 * database handle, so every code path (sign-out, the console, uninstall, a refresh that rotates a
 * token, code written later) is covered without a call at each place. Changes made by another
 * process (the `parley` CLI, a second portal on the same PostgreSQL) are not seen here: the periodic
 * re-check in credential-watch.ts catches those.
 */
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Per table: which updated columns matter (`*`: any). A delete always matters. */
const WATCHED = new Map<string, string[]>([
  ['tokens', ['*']],
  ['webhooks', ['*']],
  ['apps', ['installed', 'scope']],
  ['users', ['active']],
]);

/** A Kysely plugin that calls `onRevoke` after a statement that changed rows a credential depends on. */
export function revocationHook(onRevoke: () => void): KyselyPlugin {
  const pending = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (mayRevoke(args.node)) pending.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (pending.has(args.queryId)) {
        pending.delete(args.queryId);
        // A statement that touched nothing (e.g. clearing expired tokens when there are none) revokes nothing.
        if (args.result.numAffectedRows === undefined || args.result.numAffectedRows > 0n) onRevoke();
      }
      return args.result;
    },
  };
}

function mayRevoke(node: RootOperationNode): boolean {
  if (node.kind === 'DeleteQueryNode') return node.from.froms.some((f) => WATCHED.has(tableName(f)));
  if (node.kind !== 'UpdateQueryNode' || !node.table) return false;
  const columns = WATCHED.get(tableName(node.table));
  if (!columns) return false;
  return columns.includes('*') || (node.updates ?? []).some((u) => columns.includes(columnName(u.column)));
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
