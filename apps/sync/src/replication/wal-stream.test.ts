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
    await handler.handle({ tag: 'commit', commitLsn: 10n, endLsn: 11n, commitTime: Date.now() }); // more WAL queued: it waits
    expect(log).toEqual([]);

    await handler.handle({ tag: 'begin', finalLsn: 20n, xid: 2 });
    await handler.handle(insert('b'));
    await handler.settle(); // caught up with what arrived: the rest of transaction 2 is on its way
    expect(log).toEqual([]);

    backlog = false;
    await handler.handle(insert('c'));
    await handler.handle({ tag: 'commit', commitLsn: 20n, endLsn: 21n, commitTime: Date.now() });
    expect(log).toEqual(['commit 21 [a b c]']);

    await handler.settle();
    expect(log).toHaveLength(1);
  });

  it('when behind, gives the connection a moment before committing, and commits once nothing more arrives', async () => {
    backlog = false;
    log.length = 0;
    // A commit that arrives at once sets the baseline; one committed 5 s earlier means a backlog.
    await handler.handle({ tag: 'begin', finalLsn: 30n, xid: 3 });
    await handler.handle(insert('d'));
    await handler.handle({ tag: 'commit', commitLsn: 30n, endLsn: 31n, commitTime: Date.now() });
    expect(log).toEqual(['commit 31 [d]']);
    expect(handler.behind).toBe(false);

    await handler.handle({ tag: 'begin', finalLsn: 40n, xid: 4 });
    await handler.handle(insert('e'));
    await handler.handle({ tag: 'commit', commitLsn: 40n, endLsn: 41n, commitTime: Date.now() - 5000 });
    expect(handler.behind).toBe(true);
    expect(log).toEqual(['commit 31 [d]']); // grouped: more of the backlog is on its way
    await handler.idle(() => true); // and it came: no commit yet
    expect(log).toEqual(['commit 31 [d]']);
    await handler.idle(() => false); // nothing more: commit
    expect(log).toEqual(['commit 31 [d]', 'commit 41 [e]']);
  });

  it('a server keepalive does not commit an open group while more is coming, and reports its position once it may', async () => {
    backlog = true;
    log.length = 0;
    await handler.handle({ tag: 'begin', finalLsn: 50n, xid: 5 });
    await handler.handle(insert('f'));
    expect(await handler.keepalive(55n)).toBeNull(); // in the middle of a source transaction
    await handler.handle({ tag: 'commit', commitLsn: 50n, endLsn: 51n, commitTime: Date.now() - 5000 });
    // Postgres sends one after nearly every transaction of a backlog: committing there would make
    // each source transaction its own storage commit and checkpoint.
    expect(await handler.keepalive(60n)).toBeNull();
    expect(log).toEqual([]);
    await handler.handle({ tag: 'begin', finalLsn: 70n, xid: 7 });
    await handler.handle(insert('g'));
    await handler.handle({ tag: 'commit', commitLsn: 70n, endLsn: 71n, commitTime: Date.now() - 5000 });
    expect(log).toEqual([]);

    backlog = false;
    await handler.idle(() => false); // nothing more arrived: the group is committed
    expect(log).toEqual(['commit 71 [f g]']);
    expect(await handler.keepalive(80n)).toBe(80n); // nothing open: its position is consistent
  });
});
