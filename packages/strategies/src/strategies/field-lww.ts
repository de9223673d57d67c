import { normalizeTimestamp, parseTimestamp, quote } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { compose, requireColumn } from '../compose.ts';
import { reject } from '../decisions.ts';
import type { StrategyFactory } from '../strategy.ts';
import type { Context, Decision, DroppedField, Operation, Row } from '../types.ts';

/** When and by whom a field value was written. Ordered by time, then author, client, operation. */
export interface FieldStamp {
  at: string;
  by: string;
  client: string;
  op: number;
}

const NEVER: FieldStamp = { at: '1970-01-01T00:00:00.000Z', by: '', client: '', op: 0 };

export function compareStamps(a: FieldStamp, b: FieldStamp): number {
  const time = (parseTimestamp(a.at) ?? 0) - (parseTimestamp(b.at) ?? 0);
  if (time !== 0) return time;
  if (a.by !== b.by) return a.by < b.by ? -1 : 1;
  if (a.client !== b.client) return a.client < b.client ? -1 : 1;
  return a.op - b.op;
}

/**
 * The time of the edit: `_metadata.edited_at` set by the client when the user made the change
 * (possibly offline, long before the upload). Without one, the server's arrival time stands in.
 * A time in the future (a fast device clock) is clamped to now, so it cannot win forever.
 */
export function editStamp(op: Operation, ctx: Context): FieldStamp | null {
  const raw = op.metadata?.edited_at;
  let at = ctx.now;
  if (raw !== undefined) {
    const normalized = typeof raw === 'string' ? normalizeTimestamp(raw) : null;
    if (normalized === null) return null;
    at = (parseTimestamp(normalized) ?? 0) > (parseTimestamp(ctx.now) ?? 0) ? ctx.now : normalized;
  }
  return { at, by: ctx.user.id, client: ctx.clientId, op: op.opId };
}

function latest(stamps: Record<string, FieldStamp>): FieldStamp {
  return Object.values(stamps).reduce((a, b) => (compareStamps(a, b) >= 0 ? a : b), NEVER);
}

export interface FieldLwwOptions {
  /** A server-owned JSON column holding each field's stamp (`{ "notes": { at, by, client, op } }`). */
  stamps: string;
  /**
   * Which fields each role may change (a role not listed changes none). Without it, anyone who
   * may write the table may change every field.
   */
  ownership?: Readonly<Record<string, readonly string[]>>;
  /** Roles that may create and delete rows; without it, anyone who may write the table. */
  admins?: readonly string[];
}

/**
 * Strategy 3 — field-level last-write-wins.
 *
 * Each field carries its own stamp in the `stamps` column. An edit's fields are applied one by
 * one, each only if the edit is newer than the stamp of that field on the server; older field
 * edits are dropped and recorded (FIELD_SUPERSEDED), the rest of the edit still applies. Two
 * people editing different fields of the same row both keep their edits, in any arrival order,
 * and the final row does not depend on that order (the write stamps, such as updated_at, are
 * derived from the newest field stamp).
 */
export function fieldLww(options: FieldLwwOptions): StrategyFactory {
  const { stamps: stampsColumn, ownership, admins } = options;
  return (table) => {
    requireColumn(table, 'fieldLww', stampsColumn, { kinds: ['json'], origin: 'server' });
    const { one, many } = table.label;
    const stampsOf = (row: Row | null): Record<string, FieldStamp> => {
      const value = row?.[stampsColumn];
      return typeof value === 'object' && value !== null ? { ...(value as Record<string, FieldStamp>) } : {};
    };
    /** The table's write stamps (who, when), from the newest field stamp. */
    const derived = (stamps: Record<string, FieldStamp>, ctx: Context) => {
      const newest = latest(stamps);
      const values: Record<string, unknown> = { [stampsColumn]: stamps };
      for (const [column, source] of Object.entries(table.stampColumns('update'))) {
        values[column] = source === 'now' ? newest.at : newest.by || ctx.user.id;
      }
      return values;
    };
    return compose(table, {
      name: 'field-lww',
      detects: 'per-field stamps',
      onConflict: 'merge, newest field wins',
      tracking: { trackMetadata: true },
      validate(op, row, ctx) {
        const role = ctx.user.role;
        if ((op.op === 'DELETE' || (op.op === 'PUT' && row === null)) && admins && !admins.includes(role)) {
          return reject(
            RejectionCode.ActionNotPermitted,
            `Only ${admins.join(' or ')}s can ${op.op === 'DELETE' ? 'remove' : 'add'} ${many}.`,
          );
        }
        if (ownership && !(op.op === 'PUT' && row === null)) {
          const allowed = ownership[role] ?? [];
          const forbidden = Object.keys(op.data).filter((field) => !allowed.includes(field));
          if (forbidden.length > 0) {
            return reject(
              RejectionCode.FieldNotPermitted,
              `A ${role} cannot change ${forbidden.join(', ')} of a ${one}.`,
            );
          }
        }
        if (editStamp(op, ctx) === null) {
          return reject(
            RejectionCode.InvalidMetadata,
            `_metadata.edited_at must be a timestamp; got ${quote(op.metadata?.edited_at)}.`,
          );
        }
        return null;
      },
      write(op, row, ctx): Decision {
        if (op.op === 'DELETE') {
          return { outcome: 'applied', writes: [{ table: op.table, id: op.id, effect: { kind: 'delete' } }] };
        }
        const stamp = editStamp(op, ctx) as FieldStamp;
        const stamps = stampsOf(row);
        const set: Record<string, unknown> = {};
        const dropped: DroppedField[] = [];
        for (const [field, value] of Object.entries(op.data)) {
          const current = stamps[field] ?? NEVER;
          if (row === null || compareStamps(stamp, current) > 0) {
            set[field] = value;
            stamps[field] = stamp;
          } else {
            dropped.push({
              field,
              attempted: value,
              kept: row[field],
              message: `${field}: your edit from ${stamp.at} was not applied; ${current.by || 'someone'} changed it later (${current.at}).`,
            });
          }
        }
        const server = derived(stamps, ctx);
        const writes =
          row === null
            ? [
                {
                  table: op.table,
                  id: op.id,
                  effect: { kind: 'insert' as const, row: table.newRow(op.id, set, ctx, server) },
                },
              ]
            : Object.keys(set).length === 0
              ? []
              : [{ table: op.table, id: op.id, effect: { kind: 'update' as const, set: { ...set, ...server } } }];
        return dropped.length === 0 ? { outcome: 'applied', writes } : { outcome: 'merged', writes, dropped };
      },
    });
  };
}
