import { getTable, isTableName, quote, type TableName, validateValue } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { reject, type Strategy } from '../compose.ts';
import { auditStamps } from '../rows.ts';
import { checkTaskValues } from '../rules/task-rules.ts';
import type { Context, Decision, Operation, Row, RowSource, Write } from '../types.ts';
import { VERSION_TOKENS } from '../versioning.ts';
import { singular } from './timestamp.ts';

export const REVIEWER_ROLE = 'reviewer';

/** The row a conflict is about, which the adapter must load (and lock) too. */
export function conflictTarget(conflict: Row | null): { table: TableName; id: string } | null {
  if (conflict === null || !isTableName(conflict.table_name) || typeof conflict.row_id !== 'string') return null;
  return { table: conflict.table_name, id: conflict.row_id };
}

/**
 * Strategy 5, the resolving half — a client marks a write_conflicts row resolved.
 *
 * `resolution` is `mine` (apply the values the conflicting edit wanted), `server` (keep the row as
 * it is) or `merged` (apply `resolved_values`, chosen field by field). The choice is applied to the
 * target row and the conflict is marked resolved in the same transaction, by its owner or a
 * reviewer only. If the target changed again after the conflict was recorded, any resolution (keep
 * mine, keep server, merged; of an edit or of a delete) is refused and the conflict's server values
 * are refreshed, so nobody overwrites or deletes an edit they never saw.
 */
export const conflictResolution: Strategy = {
  name: 'conflict-resolution',
  decide(op: Operation, rows: RowSource, ctx: Context): Decision {
    if (op.op !== 'PATCH') {
      return reject(
        RejectionCode.ServerOwnedTable,
        'Conflicts are recorded by the server; resolve one by setting its status to resolved.',
      );
    }
    const conflict = rows.get('write_conflicts', op.id);
    if (conflict === null) return reject(RejectionCode.RowNotFound, `Conflict ${op.id} does not exist.`);
    if (conflict.user_id !== ctx.user.id && ctx.user.role !== REVIEWER_ROLE) {
      return reject(
        RejectionCode.NotOwner,
        'Only the person whose edit conflicted, or a reviewer, can resolve this conflict.',
      );
    }
    if (conflict.status === 'resolved') {
      return reject(
        RejectionCode.AlreadyResolved,
        `This conflict was already resolved (${String(conflict.resolution)}) by ${String(conflict.resolved_by)}.`,
      );
    }
    const resolution = op.data.resolution;
    if (
      op.data.status !== 'resolved' ||
      (resolution !== 'mine' && resolution !== 'server' && resolution !== 'merged')
    ) {
      return reject(
        RejectionCode.InvalidResolution,
        'Set status to resolved and resolution to mine, server or merged.',
      );
    }
    const target = conflictTarget(conflict);
    const token = target ? VERSION_TOKENS[target.table] : undefined;
    if (target === null || token === undefined) {
      return reject(
        RejectionCode.InvalidResolution,
        `Conflicts on ${quote(conflict.table_name)} cannot be resolved here.`,
      );
    }
    const markResolved = (values: unknown): Write => ({
      table: 'write_conflicts',
      id: op.id,
      effect: {
        kind: 'update',
        set: {
          status: 'resolved',
          resolution,
          resolved_values: values,
          resolved_by: ctx.user.id,
          resolved_at: ctx.now,
        },
      },
    });
    // The staleness check comes before every kind of resolution: a choice made on a server
    // version that has changed since is refused, and the conflict shows the new version.
    const current = rows.get(target.table, target.id);
    const noun = singular(target.table);
    if (current === null) {
      // Deleted since: keeping the server's state, or deleting, loses nothing.
      if (resolution === 'server') return { outcome: 'applied', writes: [markResolved(null)] };
      if (conflict.operation === 'DELETE' && resolution === 'mine') {
        return { outcome: 'applied', writes: [markResolved({})] };
      }
      return reject(
        RejectionCode.TargetDeleted,
        `The ${noun} was deleted since; keep the server version to close this conflict.`,
      );
    }
    const seen = (conflict.server_values ?? {}) as Record<string, unknown>;
    if (!token.same(current[token.column], seen[token.column])) {
      return reject(
        RejectionCode.StaleResolution,
        `The ${noun} changed again after this conflict was recorded; review the new server version and choose again.`,
        [{ table: 'write_conflicts', id: op.id, effect: { kind: 'update', set: { server_values: current } } }],
      );
    }
    if (resolution === 'server') return { outcome: 'applied', writes: [markResolved(null)] };
    if (conflict.operation === 'DELETE' && resolution === 'mine') {
      const remove: Write = { table: target.table, id: target.id, effect: { kind: 'delete' } };
      return { outcome: 'applied', writes: [remove, markResolved({})] };
    }
    const chosen = resolution === 'mine' ? conflict.client_values : op.data.resolved_values;
    const values = resolvedValues(target.table, chosen, token.column);
    if ('outcome' in values) return values;
    const rule = target.table === 'tasks' ? checkTaskValues(values.values) : null;
    if (rule) return rule;
    const set = {
      ...values.values,
      ...auditStamps(target.table, 'update', ctx),
      [token.column]: token.next(current, ctx),
    };
    return {
      outcome: 'applied',
      writes: [{ table: target.table, id: target.id, effect: { kind: 'update', set } }, markResolved(values.values)],
    };
  },
};

/** The client-owned values a resolution may write: validated, without the version column. */
function resolvedValues(
  table: TableName,
  chosen: unknown,
  tokenColumn: string,
): { values: Record<string, unknown> } | Extract<Decision, { outcome: 'rejected' }> {
  if (typeof chosen !== 'object' || chosen === null || Array.isArray(chosen)) {
    return reject(
      RejectionCode.InvalidResolution,
      'A merged resolution needs resolved_values: an object of field values.',
    );
  }
  const definition = getTable(table);
  const values: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(chosen as Record<string, unknown>)) {
    if (column === 'id' || column === tokenColumn) continue;
    const spec = definition.columns[column]?.spec;
    if (spec?.origin === 'server') continue;
    const result = validateValue(definition, column, value);
    if (!result.ok) return reject(result.code, result.message);
    values[column] = result.value;
  }
  return { values };
}
