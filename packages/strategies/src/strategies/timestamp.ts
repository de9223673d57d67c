import { normalizeTimestamp, parseTimestamp } from '@cr/schema';
import { ConflictCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, reject } from '../compose.ts';
import { baseValues, editBase } from '../edit-base.ts';
import { checkTaskValues } from '../rules/task-rules.ts';
import type { Decision, Operation, Row } from '../types.ts';

/** The column that carries the version: the time of the edit the row is at. */
export const TIMESTAMP_COLUMN = 'modified_at';

/**
 * Strategy 1 — timestamp staleness detection (tasks).
 *
 * Every edit sets `modified_at` to the time of the edit, and sends the `modified_at` it was made on:
 * the one its form was opened on (`_metadata.base`), else the local row's old value
 * (`trackPrevious: ['modified_at']`), see edit-base.ts. The server
 * applies the edit only if that is still the row's `modified_at`; otherwise someone changed the
 * row in between and the edit is recorded as a conflict (strategy 5) instead of overwriting.
 *
 * The comparison is equality of the version the client saw, not "is the client's clock later":
 * comparing clocks lets a stale edit from a fast clock win, and breaks chains of offline edits.
 */
export const timestampStrategy = compose({
  name: 'timestamp',
  detect(op, row) {
    if (op.op === 'PUT') return row === null ? null : existsConflict(op, row);
    if (row === null) return null;
    const base = editBase(op, TIMESTAMP_COLUMN);
    const baseTime = typeof base === 'string' ? normalizeTimestamp(base) : null;
    if (baseTime === null) {
      return reject(
        RejectionCode.MissingBaseVersion,
        `A ${op.table} edit must carry the ${TIMESTAMP_COLUMN} it was made on (_metadata.base or trackPrevious); this one has none.`,
      );
    }
    const serverTime = normalizeTimestamp(String(row[TIMESTAMP_COLUMN]));
    if (baseTime !== serverTime) {
      return {
        outcome: 'conflict',
        code: ConflictCode.StaleWrite,
        message: `This ${singular(op.table)} was changed on the server (at ${serverTime} by ${String(row.modified_by)}) after the version you edited (${baseTime}).`,
        conflict: {
          strategy: 'timestamp',
          clientValues: op.data,
          serverValues: row,
          baseValues: baseValues(op, TIMESTAMP_COLUMN),
        },
      };
    }
    if (op.op === 'PATCH') {
      const token = op.data[TIMESTAMP_COLUMN];
      if (typeof token !== 'string') {
        return reject(
          RejectionCode.MissingVersionToken,
          `A ${op.table} edit must set ${TIMESTAMP_COLUMN} to the time of the edit.`,
        );
      }
      if ((parseTimestamp(token) ?? 0) <= (parseTimestamp(baseTime) ?? 0)) {
        return reject(
          RejectionCode.InvalidVersionToken,
          `${TIMESTAMP_COLUMN} (${token}) must be later than the version the edit was made on (${baseTime}).`,
        );
      }
    }
    return null;
  },
  validate: (op) => (op.op === 'DELETE' ? null : checkTaskValues(op.data)),
  write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(op, row, ctx)] }),
});

export function existsConflict(op: Operation, row: Row): Extract<Decision, { outcome: 'conflict' }> {
  return {
    outcome: 'conflict',
    code: ConflictCode.RowExists,
    message: `A ${singular(op.table)} with this id already exists on the server; your new one was not saved over it.`,
    conflict: { strategy: 'insert', clientValues: op.data, serverValues: row, baseValues: null },
  };
}

export function singular(table: string): string {
  return table.endsWith('s') ? table.slice(0, -1) : table;
}
