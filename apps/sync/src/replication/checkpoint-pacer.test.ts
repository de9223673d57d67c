import { describe, expect, it } from 'vitest';
import { CheckpointBus } from '../storage/checkpoint-bus.ts';
import { CheckpointPacer } from './checkpoint-pacer.ts';

function setup(intervalMs = 1000) {
  const bus = new CheckpointBus();
  const clock = { now: 0 };
  const pacer = new CheckpointPacer(bus, intervalMs, () => clock.now);
  /** A stream waiting for the next checkpoint: `woken` once the bus wakes it. */
  const waiter = () => {
    const state = { woken: false };
    void bus.next().then(() => {
      state.woken = true;
    });
    return state;
  };
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return { bus, clock, pacer, waiter, settled };
}

describe('CheckpointPacer', () => {
  it('publishes and wakes streams at once when replication has handled everything it received', async () => {
    const { bus, pacer, waiter, settled } = setup();
    const stream = waiter();
    pacer.offer(10, 100n, undefined, false);
    await settled();
    expect(stream.woken).toBe(true);
    expect(bus.latest).toMatchObject({ opId: 10, lsn: 100n });
  });

  it('while behind, publishes every checkpoint (its op id matches the totals in memory) but wakes streams once per interval', async () => {
    const { bus, clock, pacer, waiter, settled } = setup(1000);
    pacer.offer(10, 100n, undefined, false);
    clock.now = 5000; // long after the last wake-up: the interval still starts when replication falls behind
    let stream = waiter();
    pacer.offer(20, 200n, undefined, true);
    pacer.offer(30, 300n, undefined, true);
    await settled();
    expect(bus.latest).toMatchObject({ opId: 30, lsn: 300n });
    expect(stream.woken).toBe(false);

    clock.now = 6000;
    pacer.offer(40, 400n, undefined, true);
    await settled();
    expect(stream.woken).toBe(true);

    stream = waiter();
    clock.now = 6500;
    pacer.offer(50, 500n, undefined, true);
    await settled();
    expect(stream.woken).toBe(false);
    // Caught up with what was received: the streams wake for what was published.
    pacer.flush();
    await settled();
    expect(stream.woken).toBe(true);
    expect(bus.latest).toMatchObject({ opId: 50, lsn: 500n });

    stream = waiter();
    pacer.flush(); // nothing new published: nobody is woken for nothing
    await settled();
    expect(stream.woken).toBe(false);
  });

  it('a checkpoint a client waits for (a write checkpoint) wakes streams at once, also while behind', async () => {
    const { pacer, waiter, settled } = setup();
    const stream = waiter();
    pacer.offer(10, 100n, undefined, true);
    await settled();
    expect(stream.woken).toBe(false);
    pacer.offer(20, 200n, undefined, false);
    await settled();
    expect(stream.woken).toBe(true);
  });

  it('keeps the parameter lookups changed by checkpoints that woke nobody', () => {
    const { bus, pacer } = setup();
    pacer.offer(1, 1n, undefined, false);
    const seq = bus.latest?.seq ?? 0;
    pacer.offer(10, 100n, new Set(['team:a']), true);
    pacer.offer(20, 200n, new Set(['user:b']), true);
    pacer.flush();
    expect(bus.lookupsChangedSince(seq, new Set(['team:a']))).toBe(true);
    expect(bus.lookupsChangedSince(seq, new Set(['user:b']))).toBe(true);
    expect(bus.lookupsChangedSince(seq, new Set(['user:c']))).toBe(false);
  });
});
