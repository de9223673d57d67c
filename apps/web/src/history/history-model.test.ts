import { describe, expect, it } from 'vitest';
import { sideOf } from '../ui/text-diff.ts';
import {
  defaultPair,
  historyOrder,
  kindWords,
  type Revision,
  restoreChanges,
  restoreMetadata,
  revisionDiff,
  undoTarget,
} from './history-model.ts';

const rev = (version: number, body: string, kind: Revision['kind'] = 'edit', title = 'Opening'): Revision => ({
  id: `r${version}`,
  row_id: 'd1',
  version,
  title,
  body,
  kind,
  author_id: version % 2 ? 'alice' : 'bob',
  created_at: `2026-12-01T06:0${version}:00.000Z`,
});

const history = [
  rev(1, 'Unlock.', 'create'),
  rev(3, 'Unlock both doors.\nCount.', 'merge'),
  rev(2, 'Unlock the doors.', 'edit'),
  rev(4, 'Unlock the front doors.\nCount.', 'resolution'),
];

describe('history', () => {
  it('lists versions newest first, once each', () => {
    expect(historyOrder([...history, rev(2, 'dup')]).map((r) => r.version)).toEqual([4, 3, 2, 1]);
    expect(defaultPair(historyOrder(history))).toEqual({ from: 3, to: 4 });
    expect(defaultPair([rev(1, 'a', 'create')])).toEqual({ from: 1, to: 1 });
    expect(defaultPair([])).toBeNull();
  });

  it('names the kinds in words', () => {
    expect(['create', 'edit', 'merge', 'resolution', 'restore', 'other'].map(kindWords)).toEqual([
      'created',
      'edited',
      'merged with concurrent edits',
      'conflict resolved',
      'restored an earlier version',
      'other',
    ]);
  });

  it('diffs any two versions older → newer, whichever was picked first', () => {
    const diff = revisionDiff(rev(4, 'Unlock the front doors.\nCount.'), rev(2, 'Unlock the doors.'));
    expect([diff.older.version, diff.newer.version]).toEqual([2, 4]);
    const body = diff.fields.find((f) => f.field === 'body');
    expect(body?.changed).toBe(true);
    expect(sideOf(body?.segments ?? [], 'before')).toBe('Unlock the doors.');
    expect(sideOf(body?.segments ?? [], 'after')).toBe('Unlock the front doors.\nCount.');
    expect(diff.fields.find((f) => f.field === 'title')?.changed).toBe(false);
  });

  it('a restore changes only the fields that differ from what the user sees, and nothing when equal', () => {
    const shown = { id: 'd1', title: 'Opening (new)', body: 'Unlock the front doors.\nCount.', version: 4 };
    expect(restoreChanges(shown, rev(2, 'Unlock the doors.'))).toEqual({
      title: 'Opening',
      body: 'Unlock the doors.',
    });
    expect(restoreChanges({ ...shown, title: 'Opening' }, rev(4, shown.body))).toBeNull();
  });

  it('a restore says so in its metadata, naming the version', () => {
    expect(restoreMetadata(rev(2, 'x'))).toEqual({ kind: 'restore', restores: 2 });
  });

  it('undo of a resolution goes back to the newest kept version before it', () => {
    const ordered = historyOrder(history);
    expect(undoTarget(ordered, rev(4, '', 'resolution'))?.version).toBe(3);
    expect(undoTarget(ordered, rev(3, '', 'merge'))).toBeNull();
    expect(undoTarget([rev(7, 'x', 'resolution')], rev(7, 'x', 'resolution'))).toBeNull();
  });
});
