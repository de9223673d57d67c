/**
 * Client-supplied values in a form Postgres can store, and rendered for messages.
 *
 * Postgres refuses U+0000 in `text` and `jsonb`, refuses a lone UTF-16 surrogate inside JSON (a
 * client makes one when it cuts text in the middle of an emoji), and its JSON parser gives up on
 * nesting thousands of levels deep. A refused operation is recorded with what the client sent, so
 * the record itself must be storable, or the upload fails on every retry and blocks the client's
 * queue. Everything here is iterative: no input, however deep, can exhaust the stack.
 */

import type { TableDefinition } from './table.ts';

/** The stand-in for a character Postgres cannot store (U+FFFD REPLACEMENT CHARACTER). */
export const REPLACEMENT = '\ufffd';

/** How much of a client value a record keeps. Domain data never nests more than three levels. */
export const RECORD_LIMITS = { depth: 32, nodes: 100_000 } as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what Postgres refuses
const SUSPECT = /[\u0000\ud800-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what Postgres refuses
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored as it is, as the end of a sentence; null when it can. */
export function textProblem(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes('\u0000')) return 'it contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'it contains a broken character (half of an emoji or symbol)';
  return null;
}

/** `text` with every NUL and lone surrogate replaced by U+FFFD; cut to `max` UTF-16 units with "…". */
export function storableText(text: string, max = Number.POSITIVE_INFINITY): string {
  const clean = SUSPECT.test(text) ? text.replace(UNSTORABLE, REPLACEMENT) : text;
  return clean.length <= max ? clean : `${cut(clean, Math.max(0, max - 1))}…`;
}

/** The first `length` UTF-16 units of `text`, one fewer if that would split a surrogate pair. */
function cut(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

type Container = unknown[] | Record<string, unknown>;
interface Frame {
  source: Container;
  keys: string[] | null;
  index: number;
  out: Container;
  depth: number;
}

function put(out: Container, key: number | string, value: unknown): void {
  if (Array.isArray(out)) out.push(value);
  else out[key as string] = value;
}

/**
 * A copy of a JSON-like value that Postgres stores as jsonb: text made storable (keys too), non-finite
 * numbers as null, containers deeper than `limits.depth` replaced by a note, and at most
 * `limits.nodes` values kept (then a note). Never throws, never recurses.
 */
export function storableJson(value: unknown, limits: { depth: number; nodes: number } = RECORD_LIMITS): unknown {
  const holder: unknown[] = [];
  const stack: Frame[] = [{ source: [value], keys: null, index: 0, out: holder, depth: -1 }];
  let budget = limits.nodes;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const size = frame.keys ? frame.keys.length : (frame.source as unknown[]).length;
    if (frame.index >= size) {
      stack.pop();
      continue;
    }
    const key = frame.keys ? (frame.keys[frame.index] as string) : frame.index;
    frame.index += 1;
    const item = frame.keys
      ? (frame.source as Record<string, unknown>)[key]
      : (frame.source as unknown[])[key as number];
    const outKey = typeof key === 'string' ? storableText(key) : key;
    budget -= 1;
    if (budget < 0) {
      put(frame.out, Array.isArray(frame.out) ? 0 : '…', `[cut: more than ${limits.nodes} values]`);
      break;
    }
    const depth = frame.depth + 1;
    if (typeof item === 'string') put(frame.out, outKey, storableText(item));
    else if (typeof item === 'number') put(frame.out, outKey, Number.isFinite(item) ? item : null);
    else if (typeof item === 'boolean' || item === null) put(frame.out, outKey, item);
    else if (typeof item === 'bigint') put(frame.out, outKey, item.toString());
    else if (typeof item === 'object') {
      if (typeof (item as { toJSON?: unknown }).toJSON === 'function') {
        put(frame.out, outKey, storableJson((item as { toJSON(): unknown }).toJSON(), { depth: 0, nodes: 1 }));
      } else if (depth >= limits.depth) {
        put(frame.out, outKey, `[nested deeper than ${limits.depth} levels]`);
      } else {
        const isArray = Array.isArray(item);
        const out: Container = isArray ? [] : {};
        put(frame.out, outKey, out);
        const keys = isArray ? null : Object.keys(item as object);
        stack.push({ source: item as Container, keys, index: 0, out, depth });
      }
    } else if (Array.isArray(frame.out)) put(frame.out, outKey, null); // undefined, functions: as JSON does
  }
  return holder[0] ?? null;
}

/**
 * Why a JSON value cannot be stored in a domain column as it is (too deep, unstorable text);
 * null when it can. Iterative, stops at the first problem.
 */
export function jsonProblem(value: unknown, maxDepth = RECORD_LIMITS.depth): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return problem;
    } else if (typeof item === 'object' && item !== null) {
      if (depth >= maxDepth) return `it is nested deeper than ${maxDepth} levels`;
      for (const [key, child] of Object.entries(item)) {
        const problem = textProblem(key);
        if (problem) return problem;
        stack.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * A short JSON-like rendering of an untrusted value for a message: strings quoted and escaped
 * (so a NUL or a lone surrogate shows as `\u0000`), at most `max` characters, then "…". Iterative
 * and bounded: a value nested 100,000 levels deep costs no more than `max` characters of work.
 */
export function renderValue(value: unknown, max = 60): string {
  let out = '';
  const stack: Token[] = [{ value }];
  while (stack.length > 0 && out.length <= max) {
    const token = stack.pop() as Token;
    if ('text' in token) {
      out += token.text;
      continue;
    }
    const item = token.value;
    if (typeof item !== 'object' || item === null) {
      out += scalar(item, max);
      continue;
    }
    const isArray = Array.isArray(item);
    // More entries than characters left cannot all show: look at no more than that.
    const keys = isArray ? null : Object.keys(item).slice(0, max);
    const count = isArray ? Math.min((item as unknown[]).length, max) : (keys as string[]).length;
    out += isArray ? '[' : '{';
    stack.push({ text: isArray ? ']' : '}' });
    for (let i = count - 1; i >= 0; i--) {
      const key = keys?.[i];
      stack.push({ value: key === undefined ? (item as unknown[])[i] : (item as Record<string, unknown>)[key] });
      const prefix = `${i > 0 ? ',' : ''}${key === undefined ? '' : `${JSON.stringify(key.slice(0, max + 1))}:`}`;
      if (prefix) stack.push({ text: prefix });
    }
  }
  return out.length > max || stack.length > 0 ? `${cut(out, max)}…` : out;
}

type Token = { value: unknown } | { text: string };

function scalar(value: unknown, max: number): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, max + 1));
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

/**
 * A row of `table` as Postgres stores it: every text and enum value made storable, every JSON
 * value copied with {@link storableJson}. For values that passed validation this changes nothing;
 * for what the server records about refused operations (their data, the names they claimed) it is
 * what keeps the record itself from being refused.
 */
export function storableRow<R extends Record<string, unknown>>(table: TableDefinition, row: R): R {
  let copy: Record<string, unknown> | null = null;
  for (const [column, builder] of Object.entries(table.columns)) {
    const value = row[column];
    const kind = builder.spec.kind;
    let stored = value;
    if (typeof value === 'string' && (kind === 'text' || kind === 'enum')) stored = storableText(value);
    else if (kind === 'json' && value !== null && value !== undefined) stored = storableJson(value);
    if (stored !== value) {
      copy ??= { ...row };
      copy[column] = stored;
    }
  }
  return (copy ?? row) as R;
}
