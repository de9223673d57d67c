import { validateValue } from '@cr/schema';
import { ConflictCode, MergeCode, RejectionCode } from '../codes.ts';
import { absoluteWrite, compose, existsConflict, requireColumn } from '../compose.ts';
import { type Conflicted, reject } from '../decisions.ts';
import { baseValues, editBase } from '../edit-base.ts';
import type { StrategyFactory, TableContext } from '../strategy.ts';
import { mergeText, type TextHunk } from '../text-merge.ts';
import type { Context, Decision, Operation, Row } from '../types.ts';
import { counterToken } from '../version-token.ts';

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

type FieldMerge = { ok: true; value: unknown } | { ok: false; hunks: TextHunk[] };

/** One field, three ways: text line by line; other values, the side that changed it wins. */
function mergeField(text: boolean, base: unknown, server: unknown, client: unknown): FieldMerge {
  if (text && typeof base === 'string' && typeof server === 'string' && typeof client === 'string') {
    const result = mergeText(base, server, client);
    return result.status === 'merged' ? { ok: true, value: result.merged } : { ok: false, hunks: result.hunks };
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (same(server, base) || same(server, client)) return { ok: true, value: client };
  if (same(client, base)) return { ok: true, value: server };
  return { ok: false, hunks: [] };
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
        if (op.op === 'PATCH' && op.data[column] !== base + 1) {
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
          return { outcome: 'applied', writes: [absoluteWrite(table, op, row, ctx)] };
        }
        return mergeEdit(table, op, row, ctx, { base, snapshot, fields, column, mismatch });
      },
    });
  };
}

const by = (table: TableContext, row: Row) => {
  const who = table.writtenBy(row);
  return who ? ` (last changed by ${who})` : '';
};

function mergeEdit(
  table: TableContext,
  op: Operation,
  row: Row,
  ctx: Context,
  o: {
    base: number;
    snapshot: Record<string, unknown> | null;
    fields: readonly string[];
    column: string;
    mismatch: (op: Operation, row: Row, base: unknown, why: string) => Conflicted;
  },
): Decision {
  const changed = Object.keys(op.data).filter((f) => f !== o.column);
  const unknown = changed.filter((f) => !o.snapshot || !Object.hasOwn(o.snapshot, f));
  if (unknown.length > 0) {
    return o.mismatch(
      op,
      row,
      o.base,
      `your edit does not say what ${unknown.join(', ')} held when you made it, so it cannot be merged.`,
    );
  }
  // The snapshot is client input like the edit: each base value it is merged against must be a
  // value of its column (a NUL or a broken character in it would make the conflict record unstorable).
  const snapshot: Record<string, unknown> = {};
  for (const field of changed) {
    const valid = validateValue(table.definition, field, o.snapshot?.[field]);
    if (!valid.ok) {
      return reject(RejectionCode.InvalidMetadata, `_metadata.base, what ${field} held: ${valid.message}`);
    }
    snapshot[field] = valid.value;
  }
  const set: Record<string, unknown> = {};
  const conflicts: Record<string, TextHunk[]> = {};
  for (const field of changed) {
    const merged = mergeField(o.fields.includes(field), snapshot[field], row[field], op.data[field]);
    if (!merged.ok) {
      conflicts[field] = merged.hunks;
      continue;
    }
    const valid = validateValue(table.definition, field, merged.value);
    if (!valid.ok) conflicts[field] = [];
    else set[field] = valid.value;
  }
  const rule = Object.keys(conflicts).length === 0 ? table.checkValues(set) : null;
  const names = Object.keys(conflicts);
  if (names.length > 0 || rule) {
    const where = names
      .map((f) => {
        const n = conflicts[f]?.length ?? 0;
        return n === 0 ? f : `${f} (${n} ${n === 1 ? 'place' : 'places'})`;
      })
      .join(', ');
    return {
      outcome: 'conflict',
      code: ConflictCode.OverlappingEdits,
      message: rule
        ? `Your edit and version ${String(row[o.column])}${by(table, row)} merge into text the rules refuse: ${rule.message}`
        : `Your edit and version ${String(row[o.column])}${by(table, row)} changed the same part of ${where}; choose what to keep.`,
      conflict: {
        strategy: 'three-way-merge',
        clientValues: op.data,
        serverValues: row,
        baseValues: { ...(op.previous ?? {}), ...snapshot, [o.column]: o.base },
        hunks: conflicts,
      },
    };
  }
  const next = (row[o.column] as number) + 1;
  const write = absoluteWrite(table, { ...op, data: set }, row, ctx, { [o.column]: next });
  return {
    outcome: 'merged',
    writes: [write],
    dropped: [],
    code: MergeCode.MergedConcurrentEdits,
    message: `Merged with version ${String(row[o.column])}${by(table, row)}: your changes and theirs are both in version ${next}.`,
  };
}
