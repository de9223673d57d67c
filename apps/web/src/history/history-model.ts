import type { DocumentRevisionRow } from '@cr/demo-domain';
import { RESTORE_KIND } from '@cr/strategies';
import { type DiffSegment, textDiff } from '../ui/text-diff.ts';

/**
 * The pure half of a document's history view, on the synced revisions table (`document_revisions`,
 * defined by `revisionsTable` of @cr/strategies: one row per applied version).
 */
export type Revision = Pick<
  DocumentRevisionRow,
  'id' | 'row_id' | 'version' | 'title' | 'body' | 'kind' | 'author_id' | 'created_at'
>;

/** The document as the screen shows it now: what a restore is made on. */
export interface ShownDocument {
  id: string;
  title: string;
  body: string;
  version: number;
}

/** The fields a revision holds and a restore writes back. */
export const HISTORY_FIELDS = ['title', 'body'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

const KIND_WORDS: Record<Revision['kind'], string> = {
  create: 'created',
  edit: 'edited',
  merge: 'merged with concurrent edits',
  resolution: 'conflict resolved',
  restore: 'restored an earlier version',
};

/** "edited", "conflict resolved", … (an unknown kind is shown as it is). */
export function kindWords(kind: string): string {
  return (KIND_WORDS as Record<string, string>)[kind] ?? kind;
}

/** Newest first, one entry per version (the table's unique key; a duplicate is shown once). */
export function historyOrder(revisions: readonly Revision[]): Revision[] {
  const byVersion = new Map<number, Revision>();
  for (const revision of revisions) if (!byVersion.has(revision.version)) byVersion.set(revision.version, revision);
  return [...byVersion.values()].sort((a, b) => b.version - a.version);
}

/** The comparison to show first: the version before the newest against the newest. */
export function defaultPair(ordered: readonly Revision[]): { from: number; to: number } | null {
  const [newest, previous] = ordered;
  if (!newest) return null;
  return { from: previous?.version ?? newest.version, to: newest.version };
}

/** The diff of two versions, older → newer whatever order they were picked in, per field. */
export function revisionDiff(
  a: Revision,
  b: Revision,
): {
  older: Revision;
  newer: Revision;
  fields: Array<{ field: HistoryField; segments: DiffSegment[]; changed: boolean }>;
} {
  const [older, newer] = a.version <= b.version ? [a, b] : [b, a];
  return {
    older,
    newer,
    fields: HISTORY_FIELDS.map((field) => ({
      field,
      segments: textDiff(older[field], newer[field]),
      changed: older[field] !== newer[field],
    })),
  };
}

/**
 * What restoring `revision` changes in the document as the user sees it now: the fields whose
 * text differs, or null when the document already reads like that version. The restore is an edit
 * made on `shown` (its version is the base), so the strategy merges it with versions the user has
 * not seen yet, or records a conflict; it never writes over them.
 */
export function restoreChanges(shown: ShownDocument, revision: Revision): Partial<Record<HistoryField, string>> | null {
  const changes: Partial<Record<HistoryField, string>> = {};
  for (const field of HISTORY_FIELDS) if (shown[field] !== revision[field]) changes[field] = revision[field];
  return Object.keys(changes).length > 0 ? changes : null;
}

/**
 * The version "undo" of a conflict resolution goes back to: the newest kept version before it.
 * Null when the resolution is not in the history or nothing before it is kept (retention).
 */
export function undoTarget(ordered: readonly Revision[], resolution: Revision): Revision | null {
  if (resolution.kind !== 'resolution') return null;
  return (
    ordered.filter((revision) => revision.version < resolution.version).sort((a, b) => b.version - a.version)[0] ?? null
  );
}

/**
 * The `_metadata` a restore carries besides its base: `kind` makes the server record the new
 * version as a `restore` (when applied as sent); `restores` names the version, for people.
 */
export function restoreMetadata(revision: Revision): Record<string, unknown> {
  return { kind: RESTORE_KIND, restores: revision.version };
}
