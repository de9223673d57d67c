import { describe, expect, it } from 'vitest';
import { notApplied, type RejectionView, rejectionRecord, rejectionStory } from './describe-rejection.ts';

const names: Record<string, string> = { dan: 'Dr. Dan Diaz', bob: 'Bob Brown' };
const nameOf = (id: unknown) => names[String(id)] ?? String(id);

function rejection(overrides: Partial<RejectionView>): RejectionView {
  return {
    id: 'r1',
    table_name: 'orders',
    row_id: 'o1',
    code: 'INVALID_TRANSITION',
    message: 'An order cannot go from cancelled to processing; cancelled is final.',
    created_at: '2026-11-22T10:00:00.000Z',
    data: JSON.stringify({ status: 'processing', updated_by: 'alice' }),
    record_table: 'orders',
    record_name: 'Northwind Cafe',
    field_versions: null,
    ...overrides,
  };
}

describe('rejectionRecord', () => {
  it('names the record, from this device or from the refused data', () => {
    expect(rejectionRecord(rejection({}))).toBe('the order for Northwind Cafe');
    expect(rejectionRecord(rejection({ record_name: null, data: JSON.stringify({ customer: 'Contoso' }) }))).toBe(
      'the order for Contoso',
    );
    expect(rejectionRecord(rejection({ record_table: 'tasks', record_name: null, data: null }))).toBe(
      'a task that is no longer here',
    );
    expect(rejectionRecord(rejection({ record_table: 'patients', record_name: 'Ada Byrne' }))).toBe(
      'the record of Ada Byrne',
    );
  });
});

describe('rejectionStory', () => {
  it('says who changed a field later, by name and at a friendly time, not with ids and ISO strings', () => {
    const story = rejectionStory(
      rejection({
        table_name: 'patients',
        record_table: 'patients',
        code: 'FIELD_SUPERSEDED',
        message: 'notes: your edit from 2026-11-22T10:00:00.000Z was not applied; dan changed it later (…).',
        data: JSON.stringify({ field: 'notes', attempted: 'Mine', kept: 'Allergic to penicillin' }),
        field_versions: JSON.stringify({ notes: { at: '2026-11-22T10:05:00.000Z', by: 'dan' } }),
      }),
      nameOf,
    );
    expect(story).toMatch(/^Your edit of the notes was not applied: Dr\. Dan Diaz changed it later \(.+\)\.$/);
    expect(story).not.toContain('2026-');
  });

  it('uses the field’s rule for a refused value', () => {
    const story = rejectionStory(
      rejection({
        table_name: 'tasks',
        record_table: 'tasks',
        code: 'INVALID_VALUE',
        message: 'tasks.priority must be a priority from 1 (highest) to 5; got 9.',
        data: JSON.stringify({ priority: 9, modified_at: '2026-11-22T10:00:00.000Z' }),
      }),
      nameOf,
    );
    expect(story).toBe('Priority: Must be a priority from 1 (highest) to 5.');
  });

  it('keeps the server’s sentence where it is already one', () => {
    expect(rejectionStory(rejection({}), nameOf)).toBe(
      'An order cannot go from cancelled to processing; cancelled is final.',
    );
  });
});

describe('notApplied', () => {
  it('lists the values a person edits, not versions and stamps', () => {
    const values = notApplied(
      rejection({
        table_name: 'tasks',
        data: JSON.stringify({ title: 'Mine', modified_at: 'x', modified_by: 'alice' }),
      }),
    );
    expect(values).toEqual([{ table: 'tasks', field: 'title', value: 'Mine' }]);
  });

  it('reads a superseded field and a tracked change', () => {
    expect(
      notApplied(
        rejection({
          table_name: 'patients',
          code: 'FIELD_SUPERSEDED',
          data: JSON.stringify({ field: 'notes', attempted: 'A' }),
        }),
      ),
    ).toEqual([{ table: 'patients', field: 'notes', value: 'A' }]);
    expect(
      notApplied(
        rejection({
          table_name: 'field_changes',
          data: JSON.stringify({ table_name: 'tasks', field_name: 'priority', new_value: '9' }),
        }),
      ),
    ).toEqual([{ table: 'tasks', field: 'priority', value: 9 }]);
  });
});
