import { describe, expect, it } from 'vitest';
import { canonicalTimestamp, fingerprint } from './rows.ts';
import { parseDecodedLine } from './test-decoding.ts';

describe('parseDecodedLine', () => {
  it('reads begin, commit and changes with quoted, bare, null and multi-line values', () => {
    expect(parseDecodedLine('BEGIN 748')).toEqual({ kind: 'begin', xid: '748' });
    expect(parseDecodedLine('COMMIT 748 (at 2026-12-01 00:15:19.110123+00)')).toEqual({
      kind: 'commit',
      xid: '748',
      at: '2026-12-01 00:15:19.110123+00',
    });
    const line = parseDecodedLine(
      "table public.tasks: UPDATE: id[uuid]:'t1' title[text]:'It''s\ndone' priority[integer]:3 due_date[date]:null " +
        'body[text]:unchanged-toast-datum temperature[double precision]:36.8',
    );
    expect(line).toEqual({
      kind: 'change',
      schema: 'public',
      table: 'tasks',
      op: 'UPDATE',
      values: { id: 't1', title: "It's\ndone", priority: '3', due_date: null, temperature: '36.8' },
    });
  });

  it('takes the new tuple of a key change', () => {
    const line = parseDecodedLine("table public.tasks: UPDATE: old-key: id[uuid]:'old' new-tuple: id[uuid]:'new'");
    expect(line).toMatchObject({ values: { id: 'new' } });
  });
});

describe('row fingerprints', () => {
  it('are the same for a client row and the committed Postgres text of the same values', () => {
    expect(canonicalTimestamp('2026-11-01 08:00:00.5+00')).toBe(canonicalTimestamp('2026-11-01T08:00:00.500000Z'));
    expect(canonicalTimestamp('2026-11-01 09:00:00+01')).toBe(canonicalTimestamp('2026-11-01T08:00:00Z'));
    const client = {
      id: 'i',
      sku: 'MUG',
      name: 'Mug',
      quantity: 3,
      updated_by: 'a',
      updated_at: '2026-11-01T08:00:00.000000Z',
    };
    const postgres = {
      id: 'i',
      sku: 'MUG',
      name: 'Mug',
      quantity: '3',
      updated_by: 'a',
      updated_at: '2026-11-01 08:00:00+00',
    };
    expect(fingerprint('inventory', client)).toBe(fingerprint('inventory', postgres));
    expect(fingerprint('patients', { id: 'p', field_versions: '{"b":1,"a":2}' })).toBe(
      fingerprint('patients', { id: 'p', field_versions: '{"a": 2, "b": 1}' }),
    );
  });
});
