import { normalizeTimestamp, parseTimestamp, quote } from '@cr/schema';
import { RejectionCode } from '../codes.ts';
import { compose, reject } from '../compose.ts';
import { newRow } from '../rows.ts';
import { PATIENT_ADMINS, PATIENT_FIELDS_BY_ROLE } from '../rules/patient-fields.ts';
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

function stampsOf(row: Row | null): Record<string, FieldStamp> {
  const value = row?.field_versions;
  return typeof value === 'object' && value !== null ? { ...(value as Record<string, FieldStamp>) } : {};
}

function latest(stamps: Record<string, FieldStamp>): FieldStamp {
  return Object.values(stamps).reduce((a, b) => (compareStamps(a, b) >= 0 ? a : b), NEVER);
}

/**
 * Strategy 3 — field-level last-write-wins (patients).
 *
 * Each field carries its own stamp in `field_versions`. An edit's fields are applied one by one,
 * each only if the edit is newer than the stamp of that field on the server; older field edits are
 * dropped and recorded (FIELD_SUPERSEDED), the rest of the edit still applies. A doctor's diagnosis
 * and a nurse's vitals on the same record both survive, in any arrival order, and the final row
 * does not depend on that order (updated_at/updated_by are derived from the newest field stamp).
 */
export const fieldLwwStrategy = compose({
  name: 'field-lww',
  validate(op, row, ctx) {
    const role = ctx.user.role;
    if ((op.op === 'DELETE' || (op.op === 'PUT' && row === null)) && !PATIENT_ADMINS.includes(role)) {
      return reject(
        RejectionCode.ActionNotPermitted,
        `Only ${PATIENT_ADMINS.join(' or ')}s can ${op.op === 'DELETE' ? 'remove' : 'add'} patients.`,
      );
    }
    const allowed = PATIENT_FIELDS_BY_ROLE[role];
    const forbidden = Object.keys(op.data).filter((field) => !allowed.includes(field));
    if (forbidden.length > 0 && !(op.op === 'PUT' && row === null)) {
      return reject(RejectionCode.FieldNotPermitted, `A ${role} cannot change ${forbidden.join(', ')} of a patient.`);
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
    if (op.op === 'DELETE')
      return { outcome: 'applied', writes: [{ table: op.table, id: op.id, effect: { kind: 'delete' } }] };
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
    const newest = latest(stamps);
    const derived = { field_versions: stamps, updated_at: newest.at, updated_by: newest.by || ctx.user.id };
    const writes =
      row === null
        ? [
            {
              table: op.table,
              id: op.id,
              effect: { kind: 'insert' as const, row: newRow(op.table, op.id, set, ctx, derived) },
            },
          ]
        : Object.keys(set).length === 0
          ? []
          : [{ table: op.table, id: op.id, effect: { kind: 'update' as const, set: { ...set, ...derived } } }];
    return dropped.length === 0 ? { outcome: 'applied', writes } : { outcome: 'merged', writes, dropped };
  },
});
