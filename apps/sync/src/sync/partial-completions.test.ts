import { describe, expect, it } from 'vitest';
import type { BucketChecksum, OpType } from '../protocol/lines.ts';
import type { EncodedOp } from '../storage/recent-ops.ts';
import { PartialCompletions } from './partial-completions.ts';

const bucket = (name: string, priority: number): BucketChecksum => ({ bucket: name, checksum: 0, count: 0, priority });
const ops = (...types: OpType[]): EncodedOp[] =>
  types.map((op, i) => ({ opId: i + 1, op, json: '{}', bson: Buffer.alloc(0) }));
const TEAM = bucket('team', 1);
const MINE = bucket('mine', 3);
const URGENT = bucket('urgent', 0);

/** A guard whose client's newest write checkpoint the test sets. */
function guard(newest: bigint | null = null) {
  const state = { newest };
  return { state, completions: new PartialCompletions(() => state.newest) };
}

describe('PartialCompletions', () => {
  it('completes early on a first download, removals included (a never-applied bucket drops them)', () => {
    const { completions } = guard();
    completions.started([TEAM, MINE], new Map(), () => 0);
    completions.sent(TEAM, ops('PUT', 'REMOVE', 'PUT'));
    expect(completions.mayComplete(1)).toBe(true);
  });

  it('holds back a priority whose group removes rows from a bucket the client has applied', () => {
    const { completions } = guard();
    completions.started([TEAM, MINE], new Map(), () => 0);
    completions.completed(null);
    completions.sent(TEAM, ops('PUT'));
    expect(completions.mayComplete(1)).toBe(true);
    completions.sent(TEAM, ops('REMOVE'));
    expect(completions.mayComplete(1)).toBe(false);
    expect(completions.mayComplete(3)).toBe(false);
    expect(completions.mayComplete(0)).toBe(true);
  });

  it('counts a removal in a bucket completed partially in the same connection', () => {
    const { completions } = guard();
    completions.started([TEAM, MINE], new Map(), () => 0);
    completions.completedPartially([TEAM, MINE], 1);
    completions.sent(TEAM, ops('CLEAR'));
    expect(completions.mayComplete(1)).toBe(false);
  });

  it('trusts a full completion the client cannot have held back: newest write checkpoint, none since', () => {
    const { completions, state } = guard(4n);
    completions.started([TEAM], new Map(), () => 0);
    completions.completed(4n);
    completions.sent(TEAM, ops('REMOVE'));
    completions.completed(4n);
    expect(completions.mayComplete(1)).toBe(true);
    state.newest = 5n; // the client uploaded since: that completion may have waited for it
    expect(completions.mayComplete(1)).toBe(false);
    completions.completed(5n);
    expect(completions.mayComplete(1)).toBe(true);
  });

  it('does not trust a completion that carried an older write checkpoint than the newest', () => {
    const { completions } = guard(7n);
    completions.started([TEAM], new Map(), () => 0);
    completions.completed(null);
    completions.sent(TEAM, ops('REMOVE'));
    completions.completed(6n);
    expect(completions.mayComplete(1)).toBe(false);
  });

  it('never trusts a completion for priority 0 (applied while uploads wait)', () => {
    const { completions } = guard();
    completions.started([URGENT, MINE], new Map(), () => 0);
    completions.completed(null);
    completions.sent(URGENT, ops('REMOVE'));
    completions.completed(null);
    expect(completions.mayComplete(0)).toBe(false);
    expect(completions.mayComplete(1)).toBe(true);
  });

  it('suspects buckets the client held with a removal up to where it is, and buckets it must delete', () => {
    const held = new Map([
      ['team', 50],
      ['mine', 50],
    ]);
    const lastRemoval: Record<string, number> = { team: 40, mine: 60 };
    const { completions } = guard();
    completions.started([TEAM, MINE], held, (name) => lastRemoval[name] ?? 0);
    expect(completions.mayComplete(1)).toBe(false); // team: a removal at 40 <= 50
    completions.completed(null);
    expect(completions.mayComplete(1)).toBe(true);

    const dropping = guard();
    dropping.completions.started([MINE], new Map([['old#team[]', 10]]), () => 0);
    expect(dropping.completions.mayComplete(1)).toBe(false);
    expect(dropping.completions.mayComplete(0)).toBe(false);
  });

  it('treats buckets added later as fresh, and buckets removed later as deletions', () => {
    const { completions } = guard();
    completions.started([MINE], new Map(), () => 0);
    completions.completed(null);
    completions.changed(['team'], []);
    completions.sent(TEAM, ops('REMOVE'));
    expect(completions.mayComplete(1)).toBe(true);
    completions.changed([], ['mine']);
    expect(completions.mayComplete(1)).toBe(false);
  });
});
