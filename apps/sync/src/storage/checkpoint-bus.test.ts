import { describe, expect, it } from 'vitest';
import { CheckpointBus } from './checkpoint-bus.ts';

describe('CheckpointBus', () => {
  it('wakes every waiter on publish', async () => {
    const bus = new CheckpointBus();
    const woken: number[] = [];
    const waits = [1, 2, 3].map((n) => bus.next().then(() => woken.push(n)));
    bus.publish(5, 100n);
    await Promise.all(waits);
    expect(woken.sort()).toEqual([1, 2, 3]);
    expect(bus.latest).toEqual({ seq: 1, opId: 5, lsn: 100n });
  });

  it('tells whether lookups changed after a checkpoint', () => {
    const bus = new CheckpointBus();
    const first = bus.publish(1, 1n, new Set(['x']));
    bus.publish(2, 2n, new Set(['y']));
    expect(bus.lookupsChangedSince(first.seq, new Set(['x']))).toBe(false);
    expect(bus.lookupsChangedSince(first.seq, new Set(['y']))).toBe(true);
    expect(bus.lookupsChangedSince(0, new Set(['x']))).toBe(true);
    expect(bus.lookupsChangedSince(0, new Set())).toBe(false);
  });

  it('keeps sequence numbers rising across a reset', () => {
    const bus = new CheckpointBus();
    bus.publish(1, 1n);
    bus.reset();
    expect(bus.latest).toBeNull();
    expect(bus.publish(1, 1n).seq).toBe(2);
  });

  it('releases waiters when aborted or closed', async () => {
    const bus = new CheckpointBus();
    const abort = new AbortController();
    const waiting = bus.next(abort.signal);
    abort.abort();
    await waiting;
    bus.close();
    await bus.next();
  });
});
