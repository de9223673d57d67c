import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream } from '../../test/raw-stream.ts';
import { type SyncHarness, startSync } from '../../test/sync-harness.ts';
import { waitFor } from '../../test/wait-for.ts';
import { addChecksums } from '../protocol/checksum.ts';

let sync: SyncHarness;

beforeAll(async () => {
  sync = await startSync({ seed: true, keepaliveMs: 300 });
  await sync.ready();
});
afterAll(() => sync?.close());

const token = (sub = 'alice', role = 'clerk') => sync.jwks.sign({ sub, role });
type Checkpoint = {
  last_op_id: string;
  write_checkpoint?: string;
  buckets: { bucket: string; checksum: number; count: number; priority: number }[];
};
type Data = { bucket: string; data: { op_id: string; op: string; checksum: number; data?: string }[] };

describe('POST /sync/stream', () => {
  it('streams ndjson: checkpoint, data, checkpoint_complete, with checksums that add up', async () => {
    const stream = await openStream(sync.url, await token());
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');

    const { line } = await stream.next('checkpoint');
    const checkpoint = line.checkpoint as Checkpoint;
    expect(checkpoint.last_op_id).toMatch(/^\d+$/);
    expect(checkpoint.buckets.map((b) => b.bucket).sort()).toEqual([
      '1#document_history[]',
      '1#team[]',
      '1#user_data["alice"]',
    ]);
    const complete = await stream.next('checkpoint_complete');
    expect(complete.line).toEqual({ checkpoint_complete: { last_op_id: checkpoint.last_op_id } });

    const data = stream.lines
      .slice(0, complete.index)
      .filter((l) => 'data' in l)
      .map((l) => l.data as Data);
    for (const bucket of checkpoint.buckets) {
      const ops = data.filter((d) => d.bucket === bucket.bucket).flatMap((d) => d.data);
      expect(ops.length).toBe(bucket.count);
      // Every bucket starts with the deploy's CLEAR (sync/deploy-clear.ts), then its ops.
      expect(ops[0]).toMatchObject({ op_id: '0', op: 'CLEAR' });
      expect(ops.reduce((sum, op) => addChecksums(sum, op.checksum), 0)).toBe(bucket.checksum);
      for (const op of ops.slice(1)) {
        expect(op.op_id).toMatch(/^\d+$/);
        expect(typeof op.data).toBe('string');
        expect(Number(op.op_id)).toBeLessThanOrEqual(Number(checkpoint.last_op_id));
      }
    }
    stream.close();
  });

  it('sends higher-priority buckets first, then partial_checkpoint_complete', async () => {
    await sync.sql.query(
      `INSERT INTO write_conflicts (id, user_id, table_name, row_id, operation, strategy, code, message,
                                    client_values, client_id, op_id, created_at)
       VALUES ('60000000-0000-4000-8000-000000000001', 'bob', 'tasks', 'x', 'PUT', 'timestamp', 'STALE', 'stale',
               '{}', 'c', 1, now())`,
    );
    await sync.caughtUp();
    const stream = await openStream(sync.url, await token('bob'));
    const partial = await stream.next('partial_checkpoint_complete');
    const complete = await stream.next('checkpoint_complete', partial.index);
    expect(partial.line.partial_checkpoint_complete).toMatchObject({ priority: 1 });
    const bucketsBefore = stream.lines
      .slice(0, partial.index)
      .flatMap((l) => ('data' in l ? [(l.data as Data).bucket] : []));
    const bucketsAfter = stream.lines
      .slice(partial.index, complete.index)
      .flatMap((l) => ('data' in l ? [(l.data as Data).bucket] : []));
    expect(new Set(bucketsBefore)).toEqual(new Set(['1#team[]']));
    // After priority 1: the document history (priority 2), then the user's own data (priority 3).
    expect(new Set(bucketsAfter)).toEqual(new Set(['1#document_history[]', '1#user_data["bob"]']));
    stream.close();
  });

  it('sends a checkpoint_diff with the new data when a row changes, and only ops after what the client has', async () => {
    const stream = await openStream(sync.url, await token());
    const first = await stream.next('checkpoint_complete');
    await sync.sql.query(
      `UPDATE tasks SET title = 'Count the stock room again' WHERE id = '10000000-0000-4000-8000-000000000001'`,
    );
    const diff = await stream.next('checkpoint_diff', first.index);
    const body = diff.line.checkpoint_diff as { updated_buckets: { bucket: string }[]; removed_buckets: string[] };
    expect(body.updated_buckets.map((b) => b.bucket)).toEqual(['1#team[]']);
    expect(body.removed_buckets).toEqual([]);
    const data = await stream.next('data', diff.index);
    const ops = (data.line.data as Data).data;
    expect(ops).toHaveLength(1);
    expect(JSON.parse(ops[0]?.data ?? '{}')).toMatchObject({ title: 'Count the stock room again' });
    await stream.next('checkpoint_complete', data.index);
    stream.close();

    // Reconnecting with `after` at the checkpoint: nothing to download.
    const lastOp = (diff.line.checkpoint_diff as { last_op_id: string }).last_op_id;
    const again = await openStream(sync.url, await token(), {
      buckets: [
        { name: '1#team[]', after: lastOp },
        { name: '1#document_history[]', after: lastOp },
        { name: '1#user_data["alice"]', after: lastOp },
      ],
    });
    const complete = await again.next('checkpoint_complete');
    expect(again.lines.slice(0, complete.index).filter((l) => 'data' in l)).toEqual([]);
    again.close();
  });

  it('gives legacy clients (raw_data false) row data as objects', async () => {
    const stream = await openStream(sync.url, await token(), { raw_data: false });
    const { line } = await stream.next('data');
    const put = (line.data as Data).data.find((op) => op.op === 'PUT');
    expect(typeof put?.data).toBe('object');
    stream.close();
  });

  it('sends token_expires_in keepalives and ends the stream when the token expires', async () => {
    const stream = await openStream(sync.url, await sync.jwks.sign({ expiresIn: 2 }));
    const keepalive = await stream.next('token_expires_in');
    expect(keepalive.line.token_expires_in).toBeLessThanOrEqual(2);
    await stream.next((l) => l.token_expires_in === 0, 0, 5000);
    await waitFor(stream.ended, { message: 'the end of the stream' });
  });
});

describe('write checkpoints', () => {
  it('answers {data: {write_checkpoint}} and repeats it in the next checkpoint_diff', async () => {
    const stream = await openStream(sync.url, await token('carol', 'manager'), { client_id: 'wc-client' });
    const first = await stream.next('checkpoint_complete');
    const response = await fetch(`${sync.url}/write-checkpoint2.json?client_id=wc-client`, {
      headers: { authorization: `Token ${await token('carol', 'manager')}` },
    });
    const body = (await response.json()) as { data: { write_checkpoint: string } };
    expect(body).toEqual({ data: { write_checkpoint: '1' } });
    const diff = await stream.next('checkpoint_diff', first.index);
    expect(diff.line.checkpoint_diff).toMatchObject({
      write_checkpoint: '1',
      updated_buckets: [],
      removed_buckets: [],
    });
    await stream.next('checkpoint_complete', diff.index);

    // A data change later repeats the write checkpoint: the client replaces it on every diff.
    await sync.sql.query(`UPDATE inventory SET quantity = quantity + 1 WHERE sku = 'MUG-BLUE'`);
    const next = await stream.next('checkpoint_diff', diff.index + 1);
    expect(next.line.checkpoint_diff).toMatchObject({ write_checkpoint: '1' });
    stream.close();
  });

  it('keeps the highest id in requests mode', async () => {
    const post = async (id: string) => {
      const response = await fetch(`${sync.url}/sync/checkpoint-request`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token('nina', 'nurse')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'req-client', checkpoint_request_id: id }),
      });
      return response.json();
    };
    expect(await post('5')).toEqual({ data: { checkpoint_request_id: '5' } });
    expect(await post('3')).toEqual({ data: { checkpoint_request_id: '5' } });
  });
});

describe('HTTP details', () => {
  it('answers the CORS preflight of a browser on another origin', async () => {
    const response = await sync.app.inject({
      method: 'OPTIONS',
      url: '/sync/stream',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-user-agent',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('x-user-agent');
    expect(response.headers['access-control-max-age']).toBe('3600');
  });

  it('answers 401 with a PSYNC code for a missing or bad token, and 400 for a bad body', async () => {
    const missing = await sync.app.inject({ method: 'POST', url: '/sync/stream', payload: {} });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'PSYNC_S2106' } });
    const expired = await sync.app.inject({
      method: 'GET',
      url: '/write-checkpoint2.json',
      headers: { authorization: `Token ${await sync.jwks.sign({ expiresIn: -300 })}` },
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: { code: 'PSYNC_S2103' } });
    const bad = await sync.app.inject({
      method: 'POST',
      url: '/sync/stream',
      headers: { authorization: `Token ${await token()}` },
      payload: { buckets: [{ name: 'x', after: 'nope' }] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('reports readiness and status', async () => {
    expect((await sync.app.inject('/probes/readiness')).statusCode).toBe(200);
    const health = (await sync.app.inject('/health')).json();
    expect(health).toMatchObject({ status: 'ok', replication: { phase: 'streaming', consistent: true } });
  });
});
