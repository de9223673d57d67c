import { col, defineSchema, defineTable } from '@cr/schema';
import { describe, expect, it } from 'vitest';
import { readOnly } from '../strategies/read-only.ts';
import { timestamp } from '../strategies/timestamp.ts';
import { version } from '../strategies/version.ts';
import { ctxFor, ID, NOW, operation, policy, rowsOf, run, schema } from '../testing/test-policy.ts';
import { definePolicy } from './define-policy.ts';

describe('definePolicy: what is derived from the policy', () => {
  it('derives who may write each table', () => {
    expect(policy.canWrite('writer', 'todos')).toBe(true);
    expect(policy.canWrite('reader', 'todos')).toBe(false);
    expect(policy.table('todos').writers).toEqual(['editor', 'writer']);
    // Tables without writers: their strategy decides (owners, reviewers, nobody).
    expect(policy.table('write_conflicts').writers).toBeNull();
    expect(policy.canWrite('reader', 'rejections')).toBe(true);
  });

  it('derives the client change tracking each strategy needs', () => {
    expect(policy.clientTracking).toEqual({
      todos: { trackPrevious: ['changed_at'], trackMetadata: true },
      pages: { trackPrevious: ['rev'], trackMetadata: true },
      articles: { trackPrevious: ['rev'], trackMetadata: true },
      cards: { trackMetadata: true },
      counters: { trackPrevious: ['value'], trackMetadata: true },
    });
  });

  it('derives version tokens, tracked fields, lock order and labels', () => {
    expect(policy.table('pages').versionToken?.column).toBe('rev');
    expect(policy.table('pages').versionToken?.next({ id: 'x', rev: 4 }, ctxFor('eve'))).toBe(5);
    expect(
      policy.table('todos').versionToken?.next({ id: 'x', changed_at: '2030-01-01T00:00:00.000Z' }, ctxFor('eve')),
    ).toBe('2030-01-01T00:00:00.001Z');
    expect(policy.table('tickets').versionToken).toBeNull();
    expect(policy.table('todos').tracked).toEqual(['text', 'done']);
    expect(policy.table('pages').tracked).toEqual([]);
    expect(policy.lockOrder).toEqual(schema.names);
    expect(policy.table('field_changes').label).toEqual({ one: 'field change', many: 'field changes' });
    expect(policy.table('counters').label).toEqual({ one: 'counter', many: 'counters' });
  });

  it('stamps server-owned who/when columns, and names who last wrote a row', () => {
    expect(policy.table('pages').stamps('insert', ctxFor('will'))).toEqual({ updated_by: 'will', updated_at: NOW });
    expect(policy.table('todos').stamps('update', ctxFor('will'))).toEqual({ changed_by: 'will' });
    expect(policy.table('pages').writtenBy({ id: 'x', updated_by: 'eve' })).toBe('eve');
    expect(policy.table('tickets').writtenBy({ id: 'x' })).toBeNull();
  });

  it('refuses a role that may not write the table, before its strategy', () => {
    const op = operation({ op: 'PATCH', type: 'pages', id: ID.page, data: { title: 'x' } });
    expect(policy.decide(op, rowsOf([]), ctxFor('rae'))).toMatchObject({
      outcome: 'rejected',
      code: 'TABLE_NOT_PERMITTED',
      message: 'A reader cannot change pages.',
    });
  });

  it('never lets a deleted id come back', () => {
    const set = rowsOf([]);
    set.load('tickets', ID.ticket, null, true);
    const put = operation({ op: 'PUT', type: 'tickets', id: ID.ticket, data: { subject: 'Again' } });
    expect(run(put, set, ctxFor('eve'))).toMatchObject({ code: 'ROW_DELETED' });
  });

  it('checks form values with the upload validators and the table rules', () => {
    expect(policy.checkFields('todos', { text: '  ', done: 3 })).toEqual([
      { field: 'text', code: 'RULE_VIOLATION', hint: 'A todo needs words.' },
      { field: 'done', code: 'INVALID_VALUE', hint: 'Must be a whole number from 0 to 1.' },
    ]);
    expect(policy.checkFields('todos', { text: '' })).toEqual([
      { field: 'text', code: 'INVALID_VALUE', hint: 'Cannot be empty.' },
    ]);
  });
});

describe('definePolicy: a wrong policy fails when it is defined', () => {
  const things = defineTable('things', {
    summary: 'Things.',
    id: 'uuid',
    columns: { name: col.text(), n: col.integer(), at: col.timestamp(), who: col.userRef().serverOwned() },
  });
  const small = defineSchema([things]);

  it('needs a strategy for every table, and no more', () => {
    expect(() => definePolicy(small, { tables: {} as never })).toThrow(/things has no strategy/);
    expect(() =>
      definePolicy(small, { tables: { things: { strategy: readOnly() }, other: { strategy: readOnly() } } as never }),
    ).toThrow(/other is not a table/);
  });

  it('checks the columns strategies are given', () => {
    expect(() => definePolicy(small, { tables: { things: { strategy: version({ column: 'name' }) } } })).toThrow(
      /version\(\{ column: 'name' \}\) on things: it is text, not integer/,
    );
    expect(() => definePolicy(small, { tables: { things: { strategy: timestamp({ column: 'nope' }) } } })).toThrow(
      /no such column/,
    );
  });

  it('checks roles, tracked fields and the lock order', () => {
    expect(() =>
      definePolicy(small, { roles: ['a'], tables: { things: { strategy: readOnly(), writers: ['b' as 'a'] } } }),
    ).toThrow(/unknown role b/);
    expect(() => definePolicy(small, { tables: { things: { strategy: readOnly(), tracked: ['who'] } } })).toThrow(
      /not a client column/,
    );
    expect(() => definePolicy(small, { tables: { things: { strategy: readOnly() } }, lockOrder: [] })).toThrow(
      /leaves out things/,
    );
  });
});
