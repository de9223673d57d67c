import { ConflictCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, reject } from '../compose.ts';
import { baseValues, editBase } from '../edit-base.ts';
import { existsConflict, singular } from './timestamp.ts';

export const VERSION_COLUMN = 'version';

/**
 * Strategy 2 — sequence-number versioning (documents).
 *
 * The row has an integer `version`. An edit sends the version it was made on (`_metadata.base`, else
 * trackPrevious; see edit-base.ts) and sets `version` to that plus one, locally, so that a chain of offline edits to the same document
 * stays consistent (3→4, 4→5). The server applies an edit only if its version is still the base,
 * and the stored version becomes base + 1; of two edits made on the same version exactly one
 * applies, the other is recorded as a conflict.
 */
export const versionStrategy = compose({
  name: 'version',
  detect(op, row) {
    if (op.op === 'PUT') {
      if (row !== null) return existsConflict(op, row);
      return op.data[VERSION_COLUMN] === 1
        ? null
        : reject(RejectionCode.InvalidVersionToken, `A new ${singular(op.table)} starts at version 1.`);
    }
    if (row === null) return null;
    const base = editBase(op, VERSION_COLUMN);
    if (typeof base !== 'number' || !Number.isInteger(base)) {
      return reject(
        RejectionCode.MissingBaseVersion,
        `A ${op.table} edit must carry the ${VERSION_COLUMN} it was made on (_metadata.base or trackPrevious); this one has none.`,
      );
    }
    if (base !== row[VERSION_COLUMN]) {
      return {
        outcome: 'conflict',
        code: ConflictCode.VersionMismatch,
        message: `You edited version ${base}, but the server is at version ${String(row[VERSION_COLUMN])} (last changed by ${String(row.updated_by)}).`,
        conflict: {
          strategy: 'version',
          clientValues: op.data,
          serverValues: row,
          baseValues: baseValues(op, VERSION_COLUMN),
        },
      };
    }
    if (op.op === 'PATCH' && op.data[VERSION_COLUMN] !== base + 1) {
      return reject(
        op.data[VERSION_COLUMN] === undefined ? RejectionCode.MissingVersionToken : RejectionCode.InvalidVersionToken,
        `A ${op.table} edit made on version ${base} must set ${VERSION_COLUMN} to ${base + 1}.`,
      );
    }
    return null;
  },
  write: (op, row, ctx) => ({ outcome: 'applied', writes: [absoluteWrite(op, row, ctx)] }),
});
