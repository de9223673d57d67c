import { type AnyBuilder, Builder, col, defineTable, type TableDefinition } from '@cr/schema';

/**
 * How a revision came about, derived by the engine from the decision that applied it:
 * - `create`: the row's first version (an insert);
 * - `edit`: an edit applied as it was sent (made on the server's version);
 * - `merge`: an edit of an older version merged with the versions it had not seen;
 * - `resolution`: a conflict resolution wrote the row (keep mine / merged);
 * - `restore`: an edit that says it restores an older version (`_metadata.kind = 'restore'`),
 *   applied as sent (a restore that had to be merged is a `merge`: it is no longer that version).
 */
export const REVISION_KINDS = ['create', 'edit', 'merge', 'resolution', 'restore'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** The columns every revisions table has besides the history fields (see `revisionsTable`). */
export const REVISION_COLUMNS = ['row_id', 'version', 'kind', 'author_id', 'created_at'] as const;

type Fields<S extends TableDefinition, F extends readonly string[]> = {
  [K in F[number]]: K extends keyof S['columns'] ? S['columns'][K] : never;
};

type RevisionColumns = {
  row_id: Builder<string, false>;
  version: Builder<number, false>;
  kind: Builder<RevisionKind, false>;
  author_id: Builder<string, false>;
  created_at: Builder<string, false>;
};

/**
 * The definition of a revisions table for `source`: one row per applied version of a source row,
 * written by the engine in the transaction that applies the version (policy option `history`).
 * Columns: `row_id` (the source row), `version` (its version column's value), the history
 * `fields` (typed as in the source, without its bounds: a revision holds what was stored),
 * `kind` (REVISION_KINDS), `author_id` (who uploaded the write), `created_at` (server time).
 * Every column is server-owned: clients read revisions and never write them (give the table
 * `readOnly()` in the policy).
 */
export function revisionsTable<const N extends string, S extends TableDefinition, const F extends readonly string[]>(
  name: N,
  source: S,
  fields: F,
  options: { summary?: string } = {},
): TableDefinition<N, RevisionColumns & Fields<S, F>> {
  const copied: Record<string, AnyBuilder> = {};
  for (const field of fields) {
    const spec = source.columns[field]?.spec;
    if (!spec) throw new Error(`revisionsTable(${name}): ${field} is not a column of ${source.name}`);
    if ((REVISION_COLUMNS as readonly string[]).includes(field)) {
      throw new Error(`revisionsTable(${name}): ${field} is a revision column and cannot be a history field`);
    }
    const { min: _min, max: _max, pattern: _pattern, notBlank: _notBlank, cumulative: _c, default: _d, ...kept } = spec;
    copied[field] = new Builder({ ...kept, origin: 'server' });
  }
  const columns = {
    row_id: (source.id === 'uuid' ? col.uuid() : col.userRef()).serverOwned(),
    version: col.integer({ min: 1 }).serverOwned(),
    ...copied,
    kind: col.enum(REVISION_KINDS).serverOwned(),
    author_id: col.userRef().serverOwned(),
    created_at: col.timestamp().serverOwned(),
  } as unknown as RevisionColumns & Fields<S, F>;
  return defineTable(name, {
    summary: options.summary ?? `Every applied version of ${source.name} (${fields.join(', ')}), with who and how.`,
    id: 'uuid',
    columns,
    clientIndexes: { by_row: ['row_id', 'version'] },
  });
}
