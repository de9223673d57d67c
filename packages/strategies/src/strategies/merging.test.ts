import { describe, expect, it } from 'vitest';
import { card, counter, ctxFor, ID, operation, rowsOf, run } from '../testing/test-policy.ts';

describe('fieldLww({ stamps, ownership, admins })', () => {
  const edit = (data: Record<string, unknown>, at: string) =>
    operation({ op: 'PATCH', type: 'cards', id: ID.card, data, metadata: JSON.stringify({ edited_at: at }) });

  it('keeps the newest edit of each field, whatever the order, and records what lost', () => {
    const rows = rowsOf([['cards', card()]]);
    expect(run(edit({ notes: 'later' }, '2026-11-22T11:00:00.000Z'), rows, ctxFor('will')).outcome).toBe('applied');
    const older = run(edit({ front: 'F', notes: 'earlier' }, '2026-11-22T10:00:00.000Z'), rows, ctxFor('eve'));
    expect(older).toMatchObject({
      outcome: 'merged',
      dropped: [{ field: 'notes', attempted: 'earlier', kept: 'later' }],
    });
    expect(rows.get('cards', ID.card)).toMatchObject({
      front: 'F',
      notes: 'later',
      updated_by: 'will',
      updated_at: '2026-11-22T11:00:00.000Z',
    });
  });

  it('refuses fields a role does not own, and creation by a non-admin', () => {
    const rows = rowsOf([['cards', card()]]);
    expect(run(edit({ front: 'x' }, '2026-11-22T10:00:00.000Z'), rows, ctxFor('will'))).toMatchObject({
      code: 'FIELD_NOT_PERMITTED',
      message: 'A writer cannot change front of a card.',
    });
    const put = operation({ op: 'PUT', type: 'cards', id: ID.card.replace('c0', 'c1'), data: { front: 'Q' } });
    expect(run(put, rows, ctxFor('will'))).toMatchObject({
      code: 'ACTION_NOT_PERMITTED',
      message: 'Only editors can add cards.',
    });
  });
});

describe('delta({ column, min })', () => {
  const take = (seen: number, n: number) =>
    operation({ op: 'PATCH', type: 'counters', id: ID.counter, data: { value: seen - n }, old: { value: seen } });

  it('applies changes to the server value and refuses one that would go below the minimum', () => {
    const rows = rowsOf([['counters', counter()]]);
    expect(run(take(10, 3), rows, ctxFor('eve')).outcome).toBe('applied');
    expect(run(take(10, 4), rows, ctxFor('will')).outcome).toBe('applied');
    expect(rows.get('counters', ID.counter)?.value).toBe(3);
    expect(run(take(10, 5), rows, ctxFor('will'))).toMatchObject({
      code: 'BELOW_MINIMUM',
      message: 'Only 3 left of "Visits"; cannot take 5.',
    });
  });

  it('never takes a bare number for a change', () => {
    const rows = rowsOf([['counters', counter()]]);
    const bare = operation({ op: 'PATCH', type: 'counters', id: ID.counter, data: { value: 1 } });
    expect(run(bare, rows, ctxFor('eve'))).toMatchObject({ code: 'MISSING_DELTA_BASE' });
    const stated = operation({
      op: 'PATCH',
      type: 'counters',
      id: ID.counter,
      data: {},
      metadata: JSON.stringify({ delta: 2 }),
    });
    expect(run(stated, rows, ctxFor('eve')).outcome).toBe('applied');
    expect(rows.get('counters', ID.counter)?.value).toBe(12);
  });
});
