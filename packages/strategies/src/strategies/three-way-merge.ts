import { ConflictCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, existsConflict, requireColumn } from '../compose.ts';
import { type Conflicted, reject } from '../decisions.ts';
import { baseValues, editBase } from '../edit-base.ts';
import type { StrategyFactory } from '../strategy.ts';
import type { Operation, Row } from '../types.ts';
import { counterToken } from '../version-token.ts';
import { lastChangedBy as by, mergeEdit } from './three-way-merge-edit.ts';

export interface ThreeWayMergeOptions {
  /** Client-owned text columns merged line by line when an edit was made on an older version. */
  fields: readonly string[];
  /** The client-owned integer version column, kept as `version({ column })` keeps it. */
  version: string;
}

/** The snapshot of the row the edit was made on (`_metadata.base`), as the client stated it. */
function snapshotOf(op: Operation): Record<string, unknown> | null {
  const stated = op.metadata?.base;
  return typeof stated === 'object' && stated !== null && !Array.isArray(stated)
    ? (stated as Record<string, unknown>)
    : null;
}

/**
 * Strategy 8 — three-way merge of text on top of sequence-number versioning.
 *
 * As `version({ column })`: an edit states the version it was made on and sets the column to that
 * plus one; an edit made on the server's version applies as it is. An edit made on an older one
 * is not refused: each field it changed is merged three ways against the snapshot of the row the
 * user saw (`_metadata.base`, the fields with the version) — text `fields` line by line
 * (`mergeText`), other columns by which side changed them. If every field merges, the result is
 * one new version (outcome `merged`); if both sides changed the same lines (or the same other
 * column) differently, the edit is recorded as a conflict naming those fields, with the base,
 * server and client values it needs, from which `mergeText` gives the same hunks again.
 *
 * The version alone is not trusted to say "nothing changed": when the snapshot's text differs
 * from the server's at the same version (two offline branches both numbered N + 1), the edit is
 * merged, never written over the server's text.
 */
export function threeWayMerge(options: ThreeWayMergeOptions): StrategyFactory {
  const { fields, version: column } = options;
  return (table) => {
    requireColumn(table, 'threeWayMerge', column, { kinds: ['integer'], origin: 'client' });
    for (const field of fields) requireColumn(table, 'threeWayMerge', field, { kinds: ['text'], origin: 'client' });
    const label = table.label.one;
    const mismatch = (op: Operation, row: Row, base: unknown, why: string): Conflicted => ({
      outcome: 'conflict',
      code: ConflictCode.VersionMismatch,
      message: `You edited version ${String(base)}, but the server is at version ${String(row[column])}${by(table, row)}; ${why}`,
      conflict: {
        strategy: 'three-way-merge',
        clientValues: op.data,
        serverValues: row,
        baseValues: baseValues(op, column),
      },
    });
    return compose(table, {
      name: 'three-way-merge',
      detects: `${column} the edit was made on, and its snapshot of ${fields.join(', ')}`,
      onConflict: 'merge line by line; overlapping edits recorded as a conflict',
      tracking: { trackPrevious: [column], trackMetadata: true },
      versionToken: counterToken(column),
      snapshotsBase: true,
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
        // A form opened on version N and saved after the local row synced N + 1 writes N + 1 over
        // N + 1: the client's queue then leaves the unchanged version out, and its old value
        // (trackPrevious) says the row already held it. That edit did set N + 1.
        const alreadyNext = op.data[column] === undefined && op.previous?.[column] === base + 1;
        if (op.op === 'PATCH' && op.data[column] !== base + 1 && !alreadyNext) {
          return reject(
            op.data[column] === undefined ? RejectionCode.MissingVersionToken : RejectionCode.InvalidVersionToken,
            `A ${label} edit made on ${column} ${base} must set ${column} to ${base + 1}.`,
          );
        }
        if (op.op === 'DELETE' && base !== row[column]) {
          return mismatch(op, row, base, 'it was not removed.');
        }
        return null;
      },
      write(op, row, ctx) {
        if (op.op !== 'PATCH' || row === null) {
          return { outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] };
        }
        const base = editBase(op, column) as number;
        const snapshot = snapshotOf(op);
        const moved = fields.filter((f) => snapshot && Object.hasOwn(snapshot, f) && snapshot[f] !== row[f]);
        if (base === row[column] && moved.length === 0) {
          return { outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx, { [column]: base + 1 })] };
        }
        return mergeEdit(table, op, row, ctx, { base, snapshot, fields, column, mismatch });
      },
    });
  };
}
