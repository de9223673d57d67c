/**
 * Lines of Postgres' `test_decoding` output plugin (with `include-xids` and `include-timestamp`):
 *
 *   BEGIN 748
 *   table public.tasks: UPDATE: id[uuid]:'1000…' title[text]:'It''s done' priority[integer]:3 due_date[date]:null
 *   COMMIT 748 (at 2026-12-01 00:15:19.110123+00)
 */

export type DecodedLine =
  | { kind: 'begin'; xid: string }
  | { kind: 'commit'; xid: string; at: string | null }
  | {
      kind: 'change';
      schema: string;
      table: string;
      op: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
      /** Column → text value (null for SQL NULL); unchanged TOASTed values are absent. */
      values: Record<string, string | null>;
    }
  | { kind: 'other'; text: string };

/** Marks a value test_decoding does not print (an unchanged TOASTed column). */
const UNCHANGED = 'unchanged-toast-datum';

export function parseDecodedLine(text: string): DecodedLine {
  let m = /^BEGIN (\d+)$/.exec(text);
  if (m) return { kind: 'begin', xid: m[1] as string };
  m = /^COMMIT (\d+)(?: \(at (.+)\))?$/.exec(text);
  if (m) return { kind: 'commit', xid: m[1] as string, at: m[2] ?? null };
  m = /^table ([^.]+)\.([^:]+): (INSERT|UPDATE|DELETE|TRUNCATE):(.*)$/s.exec(text);
  if (!m) return { kind: 'other', text };
  const op = m[3] as 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
  let body = (m[4] ?? '').trim();
  // A changed key prints the old key first; the new tuple is what the row is now.
  const newTuple = body.indexOf('new-tuple: ');
  if (body.startsWith('old-key: ') && newTuple >= 0) body = body.slice(newTuple + 'new-tuple: '.length);
  return { kind: 'change', schema: m[1] as string, table: m[2] as string, op, values: parseColumns(body) };
}

/** `name[type]:value` pairs; quoted values double their quotes, others end at a space. */
export function parseColumns(body: string): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  let at = 0;
  const header = /([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")\[([^\]]+)\]:/y;
  while (at < body.length) {
    if (body[at] === ' ') {
      at += 1;
      continue;
    }
    header.lastIndex = at;
    const m = header.exec(body);
    if (!m) break;
    const name = (m[1] as string).replace(/^"|"$/g, '').replaceAll('""', '"');
    at = header.lastIndex;
    let value: string;
    if (body[at] === "'") {
      let end = at + 1;
      let text = '';
      for (;;) {
        const quote = body.indexOf("'", end);
        if (quote < 0) throw new Error(`test_decoding: unterminated value in ${body.slice(0, 200)}`);
        text += body.slice(end, quote);
        if (body[quote + 1] === "'") {
          text += "'";
          end = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      value = text;
      values[name] = value;
      continue;
    }
    const space = body.indexOf(' ', at);
    value = body.slice(at, space < 0 ? body.length : space);
    at = space < 0 ? body.length : space;
    if (value === UNCHANGED) continue;
    values[name] = value === 'null' ? null : value;
  }
  return values;
}
