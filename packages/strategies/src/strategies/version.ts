import { ConflictCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, existsConflict, requireColumn } from '../compose.ts';
import { reject } from '../decisions.ts';
import { baseValues, editBase } from '../edit-base.ts';
import type { StrategyFactory } from '../strategy.ts';
import { counterToken } from '../version-token.ts';

/**
 * Strategy 2 — sequence-number versioning.
 *
 * The row has an integer `column`. An edit sends the version it was made on (`_metadata.base`,
 * else trackPrevious; see edit-base.ts) and sets the column to that plus one, locally, so that a
 * chain of offline edits to the same row stays consistent (3→4, 4→5). The server applies an edit
 * only if its version is still the base, and the stored version becomes base + 1; of two edits
 * made on the same version exactly one applies, the other is recorded as a conflict.
 */
export function version(options: { column: string }): StrategyFactory {
  const { column } = options;
  return (table) => {
    requireColumn(table, 'version', column, { kinds: ['integer'], origin: 'client' });
    const label = table.label.one;
    return compose(table, {
      name: 'version',
      detects: `${column} the edit was made on`,
      onConflict: 'record a conflict',
      tracking: { trackPrevious: [column], trackMetadata: true },
      versionToken: counterToken(column),
      detect(op, row) {
        if (op.op === 'PUT') {
          if (row !== null) return existsConflict(table, op, row);
          return op.data[column] === 1
            ? null
            : reject(RejectionCode.InvalidVersionToken, `A new ${label} starts at ${column} 1.`);
        }
        if (row === null) return null;
        const base = editBase(op, column);
        if (typeof base !== 'number' || !Number.isInteger(base)) {
          return reject(
            RejectionCode.MissingBaseVersion,
            `A ${label} edit must carry the ${column} it was made on (_metadata.base or trackPrevious); this one has none.`,
          );
        }
        if (base !== row[column]) {
          const by = table.writtenBy(row);
          return {
            outcome: 'conflict',
            code: ConflictCode.VersionMismatch,
            message: `You edited version ${base}, but the server is at version ${String(row[column])}${by ? ` (last changed by ${by})` : ''}.`,
            conflict: {
              strategy: 'version',
              clientValues: op.data,
              serverValues: row,
              baseValues: baseValues(op, column),
            },
          };
        }
        if (op.op === 'PATCH' && op.data[column] !== base + 1) {
          return reject(
            op.data[column] === undefined ? RejectionCode.MissingVersionToken : RejectionCode.InvalidVersionToken,
            `A ${label} edit made on ${column} ${base} must set ${column} to ${base + 1}.`,
          );
        }
        return null;
      },
      write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] }),
    });
  };
}
