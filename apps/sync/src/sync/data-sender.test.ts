import { describe, expect, it } from 'vitest';
import type { BucketChecksum } from '../protocol/lines.ts';
import { dataLine } from '../protocol/lines.ts';
import type { BucketRange, OpReader } from '../storage/op-reader.ts';
import { sendCheckpointData } from './data-sender.ts';
import type { LineSink } from './line-sink.ts';

/** A reader over fixed oplogs: bucket → op ids. */
function fakeReader(oplogs: Record<string, number[]>): OpReader {
  return {
    read: async (ranges: readonly BucketRange[], upTo: number, limit: number) =>
      ranges.map((range) => {
        const ids = (oplogs[range.bucket] ?? []).filter((id) => id > range.after && id <= upTo);
        return {
          bucket: range.bucket,
          ops: ids.slice(0, limit).map((opId) => ({ opId, op: 'PUT', json: `{"op_id":"${opId}"}` })),
          hasMore: ids.length > limit,
        };
      }),
  } as unknown as OpReader;
}

function recordingSink(): LineSink & { lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    encoding: 'ndjson',
    stats: { lines: 0, bytes: 0, ops: 0 },
    async write(line) {
      lines.push(JSON.parse(line));
    },
    async data(bucket, ops, after, nextAfter, hasMore) {
      const json = ops.map((op) => op.json);
      lines.push(JSON.parse(dataLine(bucket, json, after, nextAfter, hasMore)));
    },
  };
}

const bucket = (name: string, priority: number): BucketChecksum => ({ bucket: name, checksum: 0, count: 0, priority });

describe('sendCheckpointData', () => {
  it('sends priority groups highest first, with a partial completion after all but the last', async () => {
    const sink = recordingSink();
    const oplogs = { low: [1, 4], high: [2, 3], mid: [5] };
    await sendCheckpointData({
      buckets: [bucket('low', 3), bucket('high', 0), bucket('mid', 1)],
      after: new Map(),
      state: (name) => ({
        checksum: 0,
        count: 0,
        lastOpId: Math.max(...(oplogs[name as keyof typeof oplogs] ?? [0])),
        lastRemovalOpId: 0,
      }),
      upTo: 5,
      rawData: true,
      reader: fakeReader(oplogs),
      sink,
      signal: new AbortController().signal,
      deploy: null,
    });
    const summary = sink.lines.map((line) =>
      'data' in line
        ? `data ${(line.data as { bucket: string }).bucket}`
        : `partial ${(line.partial_checkpoint_complete as { priority: number }).priority}`,
    );
    expect(summary).toEqual(['data high', 'partial 0', 'data mid', 'partial 1', 'data low']);
  });

  it('completes a priority-0 group partially even when it is the only one', async () => {
    const sink = recordingSink();
    await sendCheckpointData({
      buckets: [bucket('urgent', 0)],
      after: new Map(),
      state: () => ({ checksum: 0, count: 0, lastOpId: 1, lastRemovalOpId: 0 }),
      upTo: 1,
      rawData: true,
      reader: fakeReader({ urgent: [1] }),
      sink,
      signal: new AbortController().signal,
      deploy: null,
    });
    expect(sink.lines.map((line) => Object.keys(line)[0])).toEqual(['data', 'partial_checkpoint_complete']);
  });

  it('splits data lines by size too', async () => {
    const sink = recordingSink();
    const reader = {
      read: async () => [
        {
          bucket: 'wide',
          ops: Array.from({ length: 3 }, (_, i) => ({
            opId: i + 1,
            json: `{"op_id":"${i + 1}","pad":"${'x'.repeat(600_000)}"}`,
          })),
          hasMore: false,
        },
      ],
    } as unknown as OpReader;
    await sendCheckpointData({
      buckets: [bucket('wide', 3)],
      after: new Map(),
      state: () => ({ checksum: 0, count: 0, lastOpId: 3, lastRemovalOpId: 0 }),
      upTo: 3,
      rawData: true,
      reader,
      sink,
      signal: new AbortController().signal,
      deploy: null,
    });
    expect(sink.lines.map((line) => (line.data as { data: unknown[] }).data.length)).toEqual([2, 1]);
  });

  it('skips buckets the client is up to date with, and pages through big buckets', async () => {
    const sink = recordingSink();
    const big = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const after = new Map([['done', 10]]);
    await sendCheckpointData({
      buckets: [bucket('big', 3), bucket('done', 3)],
      after,
      state: (name) => ({ checksum: 0, count: 0, lastOpId: name === 'big' ? 10_000 : 10, lastRemovalOpId: 0 }),
      upTo: 10_000,
      rawData: true,
      reader: fakeReader({ big, done: [10] }),
      sink,
      signal: new AbortController().signal,
      deploy: null,
    });
    const data = sink.lines.map((line) => line.data as { bucket: string; has_more: boolean; after: string; data: [] });
    expect(data.map((d) => [d.bucket, d.data.length, d.has_more, d.after])).toEqual([
      ['big', 4000, true, '0'],
      ['big', 4000, true, '4000'],
      ['big', 2000, false, '8000'],
    ]);
    expect(after.get('big')).toBe(10_000);
  });

  it('completes a priority group the client is up to date with, as the official service (toFetch)', async () => {
    const run = async (toFetch?: Set<string>) => {
      const sink = recordingSink();
      await sendCheckpointData({
        buckets: [bucket('team', 1), bucket('mine', 3)],
        after: new Map([['team', 5]]),
        state: (name) => ({ checksum: 0, count: 0, lastOpId: name === 'team' ? 5 : 6, lastRemovalOpId: 0 }),
        upTo: 6,
        rawData: true,
        reader: fakeReader({ team: [5], mine: [6] }),
        sink,
        signal: new AbortController().signal,
        deploy: null,
        ...(toFetch ? { toFetch } : {}),
      });
      return sink.lines.map((line) => Object.keys(line)[0]);
    };
    expect(await run(new Set(['team', 'mine']))).toEqual(['partial_checkpoint_complete', 'data']);
    expect(await run(new Set(['mine']))).toEqual(['data']);
    expect(await run()).toEqual(['data']);
  });
});
