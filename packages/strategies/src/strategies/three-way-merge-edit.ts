import { validateValue } from '@cr/schema';
import { ConflictCode, MergeCode, RejectionCode } from '../codes.ts';
import { absoluteWrite } from '../compose.ts';
import { type Conflicted, reject } from '../decisions.ts';
import { describeTheirLines, type TheirLines, theirLines } from '../merge-summary.ts';
import { applyEffect } from '../row-values.ts';
import type { TableContext } from '../strategy.ts';
import { mergeTextLines, type TextHunk } from '../text-merge.ts';
import type { Context, Decision, Operation, Row } from '../types.ts';

/** A merged text field also says which of its lines came from the other side. */
type FieldMerge = { ok: true; value: unknown; theirs?: TheirLines } | { ok: false; hunks: TextHunk[] };

/** One field, three ways: text line by line; other values, the side that changed it wins. */
function mergeField(text: boolean, base: unknown, server: unknown, client: unknown): FieldMerge {
  if (text && typeof base === 'string' && typeof server === 'string' && typeof client === 'string') {
    const { merge, lines } = mergeTextLines(base, server, client);
    if (merge.status === 'conflict') return { ok: false, hunks: merge.hunks };
    const theirs = lines ? theirLines(lines.merged, lines.client) : theirLines(merge.merged, client);
    return { ok: true, value: merge.merged, theirs };
  }
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (same(server, base) || same(server, client)) return { ok: true, value: client };
  if (same(client, base)) return { ok: true, value: server };
  return { ok: false, hunks: [] };
}

export const lastChangedBy = (table: TableContext, row: Row) => {
  const who = table.writtenBy(row);
  return who ? ` (last changed by ${who})` : '';
};

const list = (names: readonly string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? '');

export interface MergeInput {
  base: number;
  snapshot: Record<string, unknown> | null;
  fields: readonly string[];
  column: string;
  mismatch: (op: Operation, row: Row, base: unknown, why: string) => Conflicted;
}

/**
 * An edit of an older version, merged field by field against the snapshot the user saw:
 * - every changed field merges → one new version (`merged`, MERGED_CONCURRENT_EDITS), the message
 *   saying which lines of the text came from the other side;
 * - some merge and some do not (both changed the title, the body merged) → what merged is
 *   applied as one new version, and only the fields that did not merge are recorded as a conflict
 *   on that new version (`merged`, MERGED_WITH_CONFLICT, with the conflict): the merged text is
 *   never held back behind a one-line title conflict, and the title waits for a person;
 * - nothing merges, or the merged values break the table's rules → a conflict (OVERLAPPING_EDITS).
 */
export function mergeEdit(table: TableContext, op: Operation, row: Row, ctx: Context, o: MergeInput): Decision {
  const changed = Object.keys(op.data).filter((f) => f !== o.column);
  const unknown = changed.filter((f) => !o.snapshot || !Object.hasOwn(o.snapshot, f));
  if (unknown.length > 0) {
    const why = `your edit does not say what ${unknown.join(', ')} held when you made it, so it cannot be merged.`;
    return o.mismatch(op, row, o.base, why);
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
  const summary: string[] = [];
  for (const field of changed) {
    const merged = mergeField(o.fields.includes(field), snapshot[field], row[field], op.data[field]);
    if (!merged.ok) {
      conflicts[field] = merged.hunks;
      continue;
    }
    const valid = validateValue(table.definition, field, merged.value);
    if (!valid.ok) {
      conflicts[field] = [];
      continue;
    }
    set[field] = valid.value;
    const told = merged.theirs ? describeTheirLines(field, merged.theirs) : null;
    if (told) summary.push(told);
  }
  const names = Object.keys(conflicts);
  const merges = Object.keys(set);
  const rule = merges.length > 0 ? table.checkValues(set) : null;
  const version = String(row[o.column]);
  const by = lastChangedBy(table, row);
  const where = names
    .map((f) => {
      const n = conflicts[f]?.length ?? 0;
      return n === 0 ? f : `${f} (${n} ${n === 1 ? 'place' : 'places'})`;
    })
    .join(', ');
  const draft = (fields: readonly string[], server: Row) => ({
    strategy: 'three-way-merge',
    clientValues: fields === changed ? op.data : Object.fromEntries(fields.map((f) => [f, op.data[f]])),
    serverValues: server,
    baseValues: {
      ...(op.previous ?? {}),
      ...Object.fromEntries(fields.map((f) => [f, snapshot[f]])),
      [o.column]: o.base,
    },
    hunks: Object.fromEntries(fields.map((f) => [f, conflicts[f] ?? []])),
  });
  if (rule || merges.length === 0) {
    return {
      outcome: 'conflict',
      code: ConflictCode.OverlappingEdits,
      message: rule
        ? `Your edit and version ${version}${by} merge into text the rules refuse: ${rule.message}`
        : `Your edit and version ${version}${by} changed the same part of ${where}; choose what to keep.`,
      conflict: draft(changed, row),
    };
  }
  const next = (row[o.column] as number) + 1;
  const write = absoluteWrite(table, { ...op, data: set }, row, ctx, { [o.column]: next });
  const fromThem = summary.length > 0 ? ` From version ${version}: ${summary.join('; ')}.` : '';
  if (names.length === 0) {
    return {
      outcome: 'merged',
      writes: [write],
      dropped: [],
      code: MergeCode.MergedConcurrentEdits,
      message: `Merged with version ${version}${by}: your changes and theirs are both in version ${next}.${fromThem}`,
    };
  }
  const after = applyEffect(op.table, op.id, row, write.effect) as Row;
  return {
    outcome: 'merged',
    writes: [write],
    dropped: [],
    code: MergeCode.MergedWithConflict,
    message:
      `Your changes to ${list(merges)} are merged with version ${version}${by} in version ${next}; ` +
      `you both changed ${where}: choose what to keep in the conflicts banner.${fromThem}`,
    conflict: {
      code: ConflictCode.OverlappingEdits,
      message: `Your edit and version ${version}${by} changed the same part of ${where}; the rest of your edit is in version ${next}. Choose what to keep.`,
      conflict: draft(names, after),
    },
  };
}
