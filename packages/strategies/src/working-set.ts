import { applyEffect } from './row-values.ts';
import type { Row, RowSource, Write } from './types.ts';

const keyOf = (table: string, id: string) => `${table}\u0000${id}`;

export interface RowChange {
  table: string;
  id: string;
  before: Row | null;
  after: Row | null;
}

/**
 * The rows a batch works on: loaded once (and locked) by the adapter, then changed in memory by
 * each decision in order, so later operations of the batch see earlier ones. At the end,
 * {@link changes} says what to write back: one final state per touched row.
 */
export class WorkingSet implements RowSource {
  readonly #original = new Map<string, RowChange>();
  readonly #current = new Map<string, Row | null>();
  /** Ids of deleted rows: tombstones loaded from the database, and deletes of this batch. */
  readonly #deleted = new Set<string>();

  /**
   * Records a row as loaded from the database (null: known not to exist); `deleted`: the id
   * belonged to a row that was deleted (a tombstone).
   */
  load(table: string, id: string, row: Row | null, deleted = false): void {
    const key = keyOf(table, id);
    if (this.#original.has(key)) return;
    this.#original.set(key, { table, id, before: row, after: row });
    this.#current.set(key, row);
    if (deleted && row === null) this.#deleted.add(key);
  }

  deleted(table: string, id: string): boolean {
    return this.#deleted.has(keyOf(table, id));
  }

  has(table: string, id: string): boolean {
    return this.#current.has(keyOf(table, id));
  }

  get(table: string, id: string): Row | null {
    const key = keyOf(table, id);
    if (!this.#current.has(key)) throw new Error(`row ${table}:${id} was not loaded before deciding`);
    return this.#current.get(key) ?? null;
  }

  apply(writes: readonly Write[]): void {
    for (const write of writes) {
      const key = keyOf(write.table, write.id);
      if (!this.#current.has(key)) this.load(write.table, write.id, null);
      this.#current.set(key, applyEffect(write.table, write.id, this.#current.get(key) ?? null, write.effect));
      if (write.effect.kind === 'delete') this.#deleted.add(key);
    }
  }

  /** Rows whose final state differs from what was loaded. */
  changes(): RowChange[] {
    const result: RowChange[] = [];
    for (const [key, original] of this.#original) {
      const after = this.#current.get(key) ?? null;
      if (after !== original.before) result.push({ ...original, after });
    }
    return result;
  }
}
