import { createHash } from 'node:crypto';
import type pg from 'pg';

const names = new Map<string, string>();

/**
 * Runs a query as a named prepared statement: Postgres parses and plans each distinct SQL text
 * once per connection instead of on every batch. The name is derived from the text, so the same
 * text always maps to the same statement and different texts never collide.
 */
export function preparedQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  client: pg.ClientBase,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  let name = names.get(text);
  if (name === undefined) {
    name = `cr_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size > 10_000) names.clear();
    names.set(text, name);
  }
  return client.query<R>({ name, text, values });
}
