import type pg from 'pg';
import { preparedQuery } from './prepared.ts';

/**
 * Collects the writes of a batch into ONE statement of data-modifying CTEs, so a batch of any
 * size costs one round trip to write. Postgres runs every part; constraints (foreign keys,
 * uniques) are checked at the end of the statement, so the order of the parts does not matter.
 */
export class WriteStatement {
  readonly #parts: string[] = [];
  readonly #params: unknown[] = [];
  #notify: string | null = null;

  /** A parameter placeholder with its cast, e.g. `$3::json`. */
  param(value: unknown, cast: string): string {
    this.#params.push(value);
    return `$${this.#params.length}::${cast}`;
  }

  /** Adds a data-modifying statement (INSERT / UPDATE / DELETE). */
  add(sql: string): void {
    this.#parts.push(sql);
  }

  /** Sends a NOTIFY on `channel` when the transaction commits. */
  notify(channel: string): void {
    this.#notify = channel;
  }

  get empty(): boolean {
    return this.#parts.length === 0 && this.#notify === null;
  }

  async run(client: pg.ClientBase): Promise<void> {
    if (this.empty) return;
    const ctes = this.#parts.map((sql, i) => `w${i} AS (${sql})`);
    const select = this.#notify ? `SELECT pg_notify(${this.param(this.#notify, 'text')}, '')` : 'SELECT 1';
    const text = ctes.length ? `WITH ${ctes.join(',\n')}\n${select}` : select;
    await preparedQuery(client, text, this.#params);
  }
}
