import { normalizeTimestamp, parseTimestamp } from '@cr/schema';
import { ConflictCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, existsConflict, requireColumn } from '../compose.ts';
import { reject } from '../decisions.ts';
import { baseValues, editBase } from '../edit-base.ts';
import type { StrategyFactory } from '../strategy.ts';
import { timestampToken } from '../version-token.ts';

/**
 * Strategy 1 — timestamp staleness detection.
 *
 * Every edit sets `column` to the time of the edit, and sends the value it was made on: the one
 * its form was opened on (`_metadata.base`), else the local row's old value (`trackPrevious`), see
 * edit-base.ts. The server applies the edit only if that is still the row's value; otherwise
 * someone changed the row in between and the edit is recorded as a conflict (strategy 5) instead
 * of overwriting.
 *
 * The comparison is equality of the version the client saw, not "is the client's clock later":
 * comparing clocks lets a stale edit from a fast clock win, and breaks chains of offline edits.
 */
export function timestamp(options: { column: string }): StrategyFactory {
  const { column } = options;
  return (table) => {
    requireColumn(table, 'timestamp', column, { kinds: ['timestamp'], origin: 'client' });
    const label = table.label.one;
    return compose(table, {
      name: 'timestamp',
      detects: `${column} the edit was made on`,
      onConflict: 'record a conflict',
      tracking: { trackPrevious: [column], trackMetadata: true },
      versionToken: timestampToken(column),
      detect(op, row) {
        if (op.op === 'PUT') return row === null ? null : existsConflict(table, op, row);
        if (row === null) return null;
        const base = editBase(op, column);
        const baseTime = typeof base === 'string' ? normalizeTimestamp(base) : null;
        if (baseTime === null) {
          return reject(
            RejectionCode.MissingBaseVersion,
            `A ${label} edit must carry the ${column} it was made on (_metadata.base or trackPrevious); this one has none.`,
          );
        }
        const serverTime = normalizeTimestamp(String(row[column]));
        if (baseTime !== serverTime) {
          const by = table.writtenBy(row);
          return {
            outcome: 'conflict',
            code: ConflictCode.StaleWrite,
            message: `This ${label} was changed on the server (at ${serverTime}${by ? ` by ${by}` : ''}) after the version you edited (${baseTime}).`,
            conflict: {
              strategy: 'timestamp',
              clientValues: op.data,
              serverValues: row,
              baseValues: baseValues(op, column),
            },
          };
        }
        if (op.op === 'PATCH') {
          const token = op.data[column];
          if (typeof token !== 'string') {
            return reject(
              RejectionCode.MissingVersionToken,
              `A ${label} edit must set ${column} to the time of the edit.`,
            );
          }
          if ((parseTimestamp(token) ?? 0) <= (parseTimestamp(baseTime) ?? 0)) {
            return reject(
              RejectionCode.InvalidVersionToken,
              `${column} (${token}) must be later than the version the edit was made on (${baseTime}).`,
            );
          }
        }
        return null;
      },
      write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] }),
    });
  };
}
