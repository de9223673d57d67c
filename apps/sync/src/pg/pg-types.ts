import { JsonContainer } from '@powersync/service-jsonbig';
import {
  type DatabaseInputValue,
  type DateTimeSourceOptions,
  DateTimeValue,
  TimeValue,
  TimeValuePrecision,
} from '@powersync/service-sync-rules';
import { type ArrayElement, parseArrayLiteral } from './array-literal.ts';

/**
 * Postgres text-format values → the values sync rules evaluate. Snapshot rows and replicated
 * rows both arrive as text (the replication connection and the snapshot query run with
 * TimeZone=UTC and DateStyle=ISO), so one decoder serves both and a row reads the same either way.
 *
 * The mapping follows the official service: integers → bigint, booleans → 1/0, floats → number,
 * json/jsonb → JSON text, timestamps → ISO 8601 (rendering depends on the sync rules' edition),
 * numeric and unknown types → their text.
 */

export const PgOid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** Array type oid → element type oid, for the element types decoded specially. */
const ARRAY_ELEMENT: ReadonlyMap<number, number> = new Map([
  [1000, PgOid.bool],
  [1001, PgOid.bytea],
  [1016, PgOid.int8],
  [1005, PgOid.int2],
  [1007, PgOid.int4],
  [1009, PgOid.text],
  [1028, PgOid.oid],
  [199, PgOid.json],
  [1021, PgOid.float4],
  [1022, PgOid.float8],
  [1015, PgOid.varchar],
  [1182, PgOid.date],
  [1183, PgOid.time],
  [1115, PgOid.timestamp],
  [1185, PgOid.timestamptz],
  [2951, PgOid.uuid],
  [3807, PgOid.jsonb],
  [1231, 1700], // numeric
  [1014, 1042], // bpchar
]);

const TIME_OPTIONS: DateTimeSourceOptions = Object.freeze({
  subSecondPrecision: TimeValuePrecision.microseconds,
  defaultSubSecondPrecision: TimeValuePrecision.microseconds,
});

// 2026-11-01 09:00:00.123456+00, with an optional " BC" era.
const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,6})?([+-]\d{2}(?::?\d{2}){0,2})?( BC)?$/;

function timestamp(text: string, withZone: boolean): DateTimeValue | string | null {
  if (text === 'infinity')
    return new DateTimeValue(withZone ? '9999-12-31T23:59:59Z' : '9999-12-31T23:59:59', undefined, TIME_OPTIONS);
  if (text === '-infinity')
    return new DateTimeValue(withZone ? '0000-01-01T00:00:00Z' : '0000-01-01T00:00:00', undefined, TIME_OPTIONS);
  const match = TIMESTAMP.exec(text);
  if (!match || match[7]) return text; // BC dates and other oddities stay as Postgres wrote them
  const [, year, month, day, time, fraction = '', zone] = match;
  if (!withZone) return new DateTimeValue(`${year}-${month}-${day}T${time}${fraction}`, text, TIME_OPTIONS);
  let date = `${year}-${month}-${day}`;
  let clock = time ?? '00:00:00';
  if (zone && !/^[+-]00(:?00){0,2}$/.test(zone)) {
    // Not UTC (the session should be UTC): shift to UTC keeping the sub-second digits.
    const sign = zone.startsWith('-') ? -1 : 1;
    const [h = '0', m = '0', s = '0'] = zone.slice(1).split(':');
    const offsetSeconds = sign * (Number(h) * 3600 + Number(m) * 60 + Number(s));
    const shifted = new Date(`${date}T${clock}Z`).getTime() - offsetSeconds * 1000;
    if (Number.isNaN(shifted)) return text;
    const iso = new Date(shifted).toISOString();
    date = iso.slice(0, 10);
    clock = iso.slice(11, 19);
  }
  return new DateTimeValue(`${date}T${clock}${fraction}Z`, `${date} ${clock}${fraction}Z`, TIME_OPTIONS);
}

function bytea(text: string): Uint8Array | string {
  return text.startsWith('\\x') ? Uint8Array.from(Buffer.from(text.slice(2), 'hex')) : text;
}

function scalar(text: string, typeOid: number): DatabaseInputValue {
  switch (typeOid) {
    case PgOid.bool:
      return text === 't';
    case PgOid.int2:
    case PgOid.int4:
    case PgOid.int8:
    case PgOid.oid:
      return BigInt(text);
    case PgOid.float4:
    case PgOid.float8:
      return Number(text);
    case PgOid.json:
    case PgOid.jsonb:
      return new JsonContainer(text);
    case PgOid.bytea:
      return bytea(text);
    case PgOid.timestamptz:
      return timestamp(text, true);
    case PgOid.timestamp:
      return timestamp(text, false);
    case PgOid.time:
      return TimeValue.parse(text, TIME_OPTIONS) ?? text;
    default:
      return text; // text, varchar, uuid, date, numeric, enums, domains, unknown types
  }
}

function arrayElements(items: ArrayElement[], elementOid: number): DatabaseInputValue[] {
  return items.map((item) => {
    if (item === null) return null;
    if (Array.isArray(item)) return arrayElements(item, elementOid);
    // Inside arrays, times stay text: arrays are synced as JSON text anyway.
    if (elementOid === PgOid.timestamp || elementOid === PgOid.timestamptz || elementOid === PgOid.time) return item;
    return scalar(item, elementOid);
  });
}

/** Decodes one text-format value; `null` is SQL NULL. */
export function decodePgValue(text: string | null, typeOid: number): DatabaseInputValue {
  if (text === null) return null;
  const elementOid = ARRAY_ELEMENT.get(typeOid);
  if (elementOid !== undefined) {
    try {
      return arrayElements(parseArrayLiteral(text), elementOid);
    } catch {
      return text;
    }
  }
  return scalar(text, typeOid);
}
