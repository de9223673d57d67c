import { acknowledge, definePolicy, delta, recordConflicts, version } from '@cr/strategies';
import { schema } from './schema.ts';

/** How each table is governed. The client's change tracking and the lock order follow from it. */
export const policy = definePolicy(schema, {
  roles: ['member'],
  stamps: { insert: { owner_id: 'user' }, write: { updated_by: 'user', updated_at: 'now' } },
  tables: {
    notes: { strategy: version({ column: 'version' }), writers: ['member'] },
    counters: {
      strategy: delta({ column: 'value', min: 0 }),
      writers: ['member'],
      describe: (row) => String(row.name),
    },
    write_conflicts: { strategy: recordConflicts() },
    rejections: { strategy: acknowledge() },
  },
});
