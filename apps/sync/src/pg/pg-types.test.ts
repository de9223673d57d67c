import { JSONBig } from '@powersync/service-jsonbig';
import {
  applyRowContext,
  CompatibilityContext,
  CompatibilityEdition,
  type DatabaseInputRow,
  toSyncRulesRow,
} from '@powersync/service-sync-rules';
import { describe, expect, it } from 'vitest';
import { parseArrayLiteral } from './array-literal.ts';
import { decodePgValue, PgOid } from './pg-types.ts';

const edition2 = new CompatibilityContext({ edition: CompatibilityEdition.SYNC_STREAMS });
const legacy = CompatibilityContext.FULL_BACKWARDS_COMPATIBILITY;

/** What a synced row holds for one Postgres value, as its JSON. */
function synced(text: string | null, typeOid: number, context = edition2): string {
  const input: DatabaseInputRow = { v: decodePgValue(text, typeOid) };
  return JSONBig.stringify(applyRowContext(toSyncRulesRow(input), context).v);
}

describe('decodePgValue', () => {
  it('maps integers to integers and booleans to 1/0', () => {
    expect(synced('42', PgOid.int4)).toBe('42');
    expect(synced('9007199254740993', PgOid.int8)).toBe('9007199254740993');
    expect(synced('t', PgOid.bool)).toBe('1');
    expect(synced('f', PgOid.bool)).toBe('0');
  });

  it('maps floats to numbers and keeps numeric as text', () => {
    expect(synced('36.8', PgOid.float8)).toBe('36.8');
    expect(synced('12345678901234567890.123', 1700)).toBe('"12345678901234567890.123"');
  });

  it('renders timestamptz as ISO 8601 with microseconds in edition 2, as the official service does', () => {
    expect(synced('2026-11-01 09:00:00+00', PgOid.timestamptz)).toBe('"2026-11-01T09:00:00.000000Z"');
    expect(synced('2026-11-01 09:00:00.123+00', PgOid.timestamptz)).toBe('"2026-11-01T09:00:00.123000Z"');
    expect(synced('2026-11-01 09:00:00+00', PgOid.timestamptz, legacy)).toBe('"2026-11-01 09:00:00Z"');
  });

  it('shifts a non-UTC offset to UTC', () => {
    expect(synced('2026-11-01 10:30:00.5+01:30', PgOid.timestamptz)).toBe('"2026-11-01T09:00:00.500000Z"');
  });

  it('keeps timestamps without zone local, dates and uuids as text', () => {
    expect(synced('2026-11-01 09:00:00', PgOid.timestamp)).toBe('"2026-11-01T09:00:00.000000"');
    expect(synced('2026-12-01', PgOid.date)).toBe('"2026-12-01"');
    expect(synced('10000000-0000-4000-8000-000000000001', PgOid.uuid)).toBe('"10000000-0000-4000-8000-000000000001"');
  });

  it('passes json and jsonb through as JSON text', () => {
    expect(synced('{"diagnosis": {"at": "x"}}', PgOid.jsonb)).toBe('"{\\"diagnosis\\": {\\"at\\": \\"x\\"}}"');
  });

  it('syncs arrays as JSON text', () => {
    expect(synced('{1,2,NULL}', 1007)).toBe('"[1,2,null]"');
    expect(synced('{"a b","c\\"d",NULL}', 1009)).toBe('"[\\"a b\\",\\"c\\\\\\"d\\",null]"');
  });

  it('decodes bytea hex into bytes', () => {
    expect(decodePgValue('\\x0102ff', PgOid.bytea)).toEqual(Uint8Array.from([1, 2, 255]));
  });

  it('keeps SQL NULL as null', () => {
    expect(synced(null, PgOid.text)).toBe('null');
  });
});

describe('parseArrayLiteral', () => {
  it('parses nested, quoted and bounded arrays', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('{{1,2},{3,NULL}}')).toEqual([
      ['1', '2'],
      ['3', null],
    ]);
    expect(parseArrayLiteral('{"NULL","x,y","back\\\\slash"}')).toEqual(['NULL', 'x,y', 'back\\slash']);
    expect(parseArrayLiteral('[0:1]={a,b}')).toEqual(['a', 'b']);
  });

  it('rejects malformed input', () => {
    expect(() => parseArrayLiteral('{a,b')).toThrow();
    expect(() => parseArrayLiteral('{"a}')).toThrow();
  });
});
