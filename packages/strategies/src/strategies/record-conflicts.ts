import { quote, validateValue } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { type Rejected, reject } from '../decisions.ts';
import type { StrategyFactory, TableContext } from '../strategy.ts';
import type { Decision, Row, RowKey, Write } from '../types.ts';

/** The row a conflict is about, which the engine must load (and lock) too. */
export function conflictTarget(table: TableContext, conflict: Row | null): RowKey | null {
  if (conflict === null || typeof conflict.row_id !== 'string') return null;
  return table.policy.schema.has(conflict.table_name) ? { table: conflict.table_name, id: conflict.row_id } : null;
}

export interface RecordConflictsOptions {
  /** Roles that may resolve anyone's conflicts (they also see them all, by the sync rules). */
  reviewers?: readonly string[];
}

/**
 * Strategy 5, the resolving half — for the `write_conflicts` table: a client marks a conflict
 * resolved. (The recording half is the engine's: a decision with the outcome `conflict` becomes a
 * row here.)
 *
 * `resolution` is `mine` (apply the values the conflicting edit wanted), `server` (keep the row as
 * it is) or `merged` (apply `resolved_values`, chosen field by field). The choice is applied to the
 * target row and the conflict is marked resolved in the same transaction, by its owner or one of
 * the `reviewers` roles only. If the target changed again after the conflict was recorded, any resolution (keep
 * mine, keep server, merged; of an edit or of a delete) is refused and the conflict's server values
 * are refreshed, so nobody overwrites or deletes an edit they never saw.
 */
export function recordConflicts(options: RecordConflictsOptions = {}): StrategyFactory {
  const reviewers = options.reviewers ?? [];
  return (table) => ({
    name: 'conflict-resolution',
    detects: 'resolution on a changed row',
    onConflict: 'reject, refresh',
    related(op, rows) {
      const target = conflictTarget(table, rows.get(table.name, op.id));
      return target ? [target] : [];
    },
    decide(op, rows, ctx): Decision {
      if (op.op !== 'PATCH') {
        return reject(
          RejectionCode.ServerOwnedTable,
          'Conflicts are recorded by the server; resolve one by setting its status to resolved.',
        );
      }
      const conflict = rows.get(table.name, op.id);
      if (conflict === null) return reject(RejectionCode.RowNotFound, `Conflict ${op.id} does not exist.`);
      if (conflict.user_id !== ctx.user.id && !reviewers.includes(ctx.user.role)) {
        return reject(
          RejectionCode.NotOwner,
          `Only the person whose edit conflicted${reviewers.length ? `, or a ${reviewers.join(' or ')},` : ''} can resolve this conflict.`,
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
      const key = conflictTarget(table, conflict);
      const target = key ? table.policy.table(key.table) : null;
      const token = target?.versionToken;
      if (key === null || target === null || !token) {
        return reject(
          RejectionCode.InvalidResolution,
          `Conflicts on ${quote(conflict.table_name)} cannot be resolved here.`,
        );
      }
      const markResolved = (values: unknown): Write => ({
        table: table.name,
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
      const current = rows.get(key.table, key.id);
      const noun = target.label.one;
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
          [{ table: table.name, id: op.id, effect: { kind: 'update', set: { server_values: current } } }],
        );
      }
      if (resolution === 'server') return { outcome: 'applied', writes: [markResolved(null)] };
      if (conflict.operation === 'DELETE' && resolution === 'mine') {
        const remove: Write = { table: key.table, id: key.id, effect: { kind: 'delete' } };
        return { outcome: 'applied', writes: [remove, markResolved({})] };
      }
      const chosen = resolution === 'mine' ? conflict.client_values : op.data.resolved_values;
      const values = resolvedValues(target, chosen, token.column);
      if ('outcome' in values) return values;
      const rule = target.checkValues(values.values);
      if (rule) return rule;
      const set = { ...values.values, ...target.stamps('update', ctx), [token.column]: token.next(current, ctx) };
      return {
        outcome: 'applied',
        writes: [{ table: key.table, id: key.id, effect: { kind: 'update', set } }, markResolved(values.values)],
      };
    },
  });
}

/** The client-owned values a resolution may write: validated, without the version column. */
function resolvedValues(
  target: TableContext,
  chosen: unknown,
  tokenColumn: string,
): { values: Record<string, unknown> } | Rejected {
  if (typeof chosen !== 'object' || chosen === null || Array.isArray(chosen)) {
    return reject(
      RejectionCode.InvalidResolution,
      'A merged resolution needs resolved_values: an object of field values.',
    );
  }
  const definition = target.definition;
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
