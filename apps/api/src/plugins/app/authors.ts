import { ROLES, type Role } from '@cr/demo-domain';
import type { Actor } from '@cr/strategies';
import type pg from 'pg';

/**
 * The authors of field changes as they are now, from the demo's users table (never from the
 * change): the field-change worker judges each change with its author's current role.
 */
export async function resolveDemoAuthors(client: pg.ClientBase, ids: readonly string[]): Promise<Map<string, Actor>> {
  const { rows } = await client.query<{ id: string; role: Role }>(
    'SELECT id, role FROM users WHERE id = ANY($1::text[])',
    [[...ids]],
  );
  return new Map(rows.filter((row) => ROLES.includes(row.role)).map((row) => [row.id, { id: row.id, role: row.role }]));
}
