import { mergeLines, unionOfInsertions } from './line-merge.ts';

/**
 * Three-way merge of plain text, line by line (a paragraph of a textarea is one line), on
 * `node-diff3`. Pure and deterministic: `mergeText(b, x, y)` and `mergeText(b, y, x)` give the
 * same merged text, or the same hunks with `server` and `client` swapped, because the two sides
 * are always handed to diff3 in one canonical order (by code units) and mapped back afterwards.
 *
 * Text is taken exactly as it is: lines keep their terminators (`\r\n` stays `\r\n`, so a side
 * that converts a whole document from CRLF to LF changes every line), NUL and lone surrogates pass
 * through untouched (lines are cut only at `\n`, never inside a surrogate pair, so storable inputs
 * give a storable result). A missing final newline is not a change of the last line: whether the
 * text ends with `\n` is merged on its own (the side that changed it wins), so two people appending
 * to a document without a final newline do not collide on its last line.
 *
 * Both sides inserting different lines at the same place is not a conflict: both insertions are
 * kept, lines they share once, in a canonical order (the smaller insertion by code units first),
 * so nothing either side wrote is lost and the order does not depend on who arrived first.
 */

/** Where the two sides changed the same lines of the base differently. Texts include line ends. */
export interface TextHunk {
  /** The first line of the base the hunk replaces (0-based). */
  line: number;
  base: string;
  server: string;
  client: string;
}

export type TextMerge =
  | { status: 'merged'; merged: string }
  | {
      status: 'conflict';
      hunks: TextHunk[];
      /** The whole document: merged text and hunks in order, for a per-hunk choice. */
      parts: Array<string | TextHunk>;
      /** Whether the merged document ends with a newline (the last part's line end aside). */
      finalNewline: boolean;
    };

export interface Lines {
  lines: string[];
  finalNewline: boolean;
}

/** Lines with their `\n`; a last line without one gets one, remembered in `finalNewline`. */
export function splitLines(text: string): Lines {
  if (text === '') return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith('\n');
  const lines = (finalNewline ? text : `${text}\n`).match(/[^\n]*\n/g) ?? [];
  return { lines, finalNewline };
}

/** The document from lines: the inverse of `split` (joinLines(splitLines(t)) === t for every t). */
export function joinLines(lines: readonly string[], finalNewline: boolean): string {
  const text = lines.join('');
  return finalNewline || !text.endsWith('\n') ? text : text.slice(0, -1);
}

/** The side that changed a scalar wins; both changed differently → undefined. */
function pick<T>(base: T, server: T, client: T): T | undefined {
  if (server === base) return client;
  if (client === base || client === server) return server;
  return undefined;
}

export function mergeText(base: string, server: string, client: string): TextMerge {
  return mergeTextLines(base, server, client).merge;
}

/**
 * `mergeText`, with the merged and the client's lines when it split the texts (null on the fast
 * paths): what the merge took from the other side is read from them (`theirLines`) without
 * splitting the texts again.
 */
export function mergeTextLines(
  base: string,
  server: string,
  client: string,
): { merge: TextMerge; lines: { merged: string[]; client: string[] } | null } {
  const fast = (merged: string) => ({ merge: { status: 'merged' as const, merged }, lines: null });
  if (server === client) return fast(server);
  if (server === base) return fast(client);
  if (client === base) return fast(server);
  const o = splitLines(base);
  const s = splitLines(server);
  const c = splitLines(client);
  const finalNewline = pick(o.finalNewline, s.finalNewline, c.finalNewline) ?? true; // booleans: never undefined
  const swapped = client < server;
  const [a, b] = swapped ? [c.lines, s.lines] : [s.lines, c.lines];
  const parts: Array<string[] | TextHunk> = [];
  const hunks: TextHunk[] = [];
  const keep = (lines: string[]) => {
    const last = parts[parts.length - 1];
    if (Array.isArray(last)) last.push(...lines);
    else parts.push([...lines]);
  };
  for (const region of mergeLines(a, o.lines, b)) {
    if ('ok' in region) {
      keep(region.ok);
      continue;
    }
    const conflict = region.conflict;
    if (conflict.o.length === 0) {
      // Both inserted at one place: both kept, the smaller insertion (by code units) first.
      const [x, y] = conflict.a.join('') <= conflict.b.join('') ? [conflict.a, conflict.b] : [conflict.b, conflict.a];
      keep(unionOfInsertions(x, y));
      continue;
    }
    const [serverLines, clientLines] = swapped ? [conflict.b, conflict.a] : [conflict.a, conflict.b];
    const hunk: TextHunk = {
      line: conflict.oIndex,
      base: conflict.o.join(''),
      server: serverLines.join(''),
      client: clientLines.join(''),
    };
    hunks.push(hunk);
    parts.push(hunk);
  }
  if (hunks.length === 0) {
    const lines = parts.flatMap((part) => (Array.isArray(part) ? part : []));
    return {
      merge: { status: 'merged', merged: joinLines(lines, finalNewline) },
      lines: { merged: lines, client: c.lines },
    };
  }
  const merge: TextMerge = {
    status: 'conflict',
    hunks,
    parts: parts.map((part) => (Array.isArray(part) ? part.join('') : part)),
    finalNewline,
  };
  return { merge, lines: null };
}

/**
 * The document a per-hunk choice makes: each hunk replaced by `choose(hunk)` (its server text,
 * client text, both in either order, or an edited text), ending as the merge decided.
 */
export function assembleText(
  merge: Extract<TextMerge, { status: 'conflict' }>,
  choose: (hunk: TextHunk, index: number) => string,
): string {
  let index = 0;
  const text = merge.parts.map((part) => (typeof part === 'string' ? part : choose(part, index++))).join('');
  return joinLines([text], merge.finalNewline);
}
