/**
 * Timestamps travel as text: the client writes `Date.toISOString()`, Postgres answers
 * `2026-11-01 09:00:00+00`, sync rules may emit `2026-11-01T09:00:00.000000Z`. All of them are
 * normalised to one canonical form, `YYYY-MM-DDTHH:mm:ss.sssZ` (milliseconds, UTC), so that two
 * spellings of the same instant compare equal.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Whether `value` is already canonical (`YYYY-MM-DDTHH:mm:ss.sssZ`); returns its epoch ms if so. */
function canonicalMillis(value: string): number | null {
  if (value.length !== 24 || value.charCodeAt(23) !== 90 /* Z */ || value.charCodeAt(10) !== 84 /* T */) return null;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value ? ms : null;
}

/** Parses an ISO-8601-like instant; returns epoch milliseconds, or null when it is not one. */
export function parseTimestamp(value: string): number | null {
  const canonical = canonicalMillis(value);
  if (canonical !== null) return canonical;
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone] = match;
  if (zone === undefined) return null; // an instant without a zone is ambiguous
  const ms = Number(`${fraction}000`.slice(0, 3));
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const utc = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return utc - offsetMinutes * 60_000;
}

/** Canonical text of an instant, or null when the input is not a timestamp. */
export function normalizeTimestamp(value: string): string | null {
  if (canonicalMillis(value) !== null) return value;
  const ms = parseTimestamp(value);
  return ms === null ? null : new Date(ms).toISOString();
}

export function isoFromMillis(ms: number): string {
  return new Date(ms).toISOString();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a calendar date `YYYY-MM-DD`; returns it unchanged, or null when invalid. */
export function normalizeDate(value: string): string | null {
  const match = DATE.exec(value.trim());
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return value.trim();
}
