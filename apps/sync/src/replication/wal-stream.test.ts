import { infraPaths } from '@cr/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PgoutputMessage, Relation } from '../pg/pgoutput.ts';
import { readSyncRules } from '../rules/sync-rules.ts';
import type { BatchWriter, CommitResult, RowChange } from '../storage/batch-writer.ts';
import { WalStreamHandler } from './wal-stream.ts';

/**
 * Storage commits cover whole source transactions only. With group commit, a source commit may
 * wait for the next one; the handler is told to settle whenever it has caught up with what was
 * received, and that may happen in the middle of the next source transaction (its first changes
 * came in one network read, the rest in the next). Settling then must wait for that transaction's
 * commit: committing would publish a checkpoint with part of it (a client then showed an order's
 * deletion without the task edit of the same transaction — found by the fault suite).
 */
const TASKS: Relation = {
  id: 7,
  schema: 'public',
  name: 'tasks',
  replicaIdentity: 'default',
  columns: [
    'id',
    'title',
    'description',
    'status',
    'priority',
    'due_date',
    'assignee_id',
    'created_by',
    'created_at',
    'modified_at',
    'modified_by',
  ].map((name) => ({ name, typeOid: name === 'priority' ? 23 : 25, isKey: name === 'id' })),
};
const insert = (id: string): PgoutputMessage => ({
  tag: 'insert',
  relationId: TASKS.id,
  tuple: [id, 'T', '', 'todo', '3', null, null, 'alice', '2026-11-01 08:00:00+00', '2026-11-01 08:00:00+00', 'alice'],
});

/** A writer that records what reaches storage, and what each commit covers. */
function recordingWriter() {
  const log: string[] = [];
  let pending: string[] = [];
  const writer = {
    pendingOps: 0,
    lastOpId: 0,
    async write(changes: readonly RowChange[]) {
      pending.push(...changes.map((change) => JSON.parse(change.key)[0]));
    },
    async commit(lsn: bigint | null): Promise<CommitResult> {
      log.push(`commit ${lsn} [${pending.join(' ')}]`);
      pending = [];
      return { opId: 0, changedLookups: new Set(), opsWritten: 0 };
    },
  };
  return { writer: writer as unknown as BatchWriter, log };
}

let handler: WalStreamHandler;
let log: string[];
let backlog = true;

beforeAll(async () => {
  const rules = (await readSyncRules(infraPaths.syncRules)).hydrate(1);
  const recorded = recordingWriter();
  log = recorded.log;
  handler = new WalStreamHandler({
    rules,
    writer: recorded.writer,
    storageSchema: 'powersync_storage',
    resumeAfter: null,
    onProgress: async () => {},
    backlog: () => backlog,
    onChange: () => {},
  });
});

describe('WalStreamHandler', () => {
  it('never commits part of a source transaction, even when told to settle in the middle of one', async () => {
    await handler.handle({ tag: 'relation', relation: TASKS });
    await handler.handle({ tag: 'begin', finalLsn: 10n, xid: 1 });
    await handler.handle(insert('a'));
    await handler.handle({ tag: 'commit', commitLsn: 10n, endLsn: 11n }); // more WAL queued: it waits
    expect(log).toEqual([]);

    await handler.handle({ tag: 'begin', finalLsn: 20n, xid: 2 });
    await handler.handle(insert('b'));
    await handler.settle(); // caught up with what arrived: the rest of transaction 2 is on its way
    expect(log).toEqual([]);

    backlog = false;
    await handler.handle(insert('c'));
    await handler.handle({ tag: 'commit', commitLsn: 20n, endLsn: 21n });
    expect(log).toEqual(['commit 21 [a b c]']);

    await handler.settle();
    expect(log).toHaveLength(1);
  });
});
