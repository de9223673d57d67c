import { splitLines } from './text-merge.ts';

/** What a merged text took from the other side, line by line, for the author's notice. */
export interface TheirLines {
  /** Lines of the merged text (1-based) that are not in the author's text: theirs, changed or added. */
  lines: number[];
  /** How many more lines of the author's text the merge lacks than it has of theirs (removed by them). */
  removed: number;
}

/**
 * Compares the merged text with the author's own, as texts or as their lines (`mergeTextLines`,
 * already split and hashed: no second pass over 100 KB). A line is the author's when the
 * author's text has that line anywhere: what the author did not write came from the other side. Blank lines
 * are left out of `lines` (they carry no words to show).
 */
export function theirLines(merged: string | readonly string[], mine: string | readonly string[]): TheirLines {
  const own = new Map<string, number>();
  for (const line of typeof mine === 'string' ? splitLines(mine).lines : mine) own.set(line, (own.get(line) ?? 0) + 1);
  const lines: number[] = [];
  (typeof merged === 'string' ? splitLines(merged).lines : merged).forEach((line, i) => {
    const left = own.get(line) ?? 0;
    if (left > 0) own.set(line, left - 1);
    else if (line.trim() !== '') lines.push(i + 1);
  });
  // A line of mine they replaced shows as one of theirs; only what is left over was removed.
  let left = 0;
  for (const [line, count] of own) if (line.trim() !== '') left += count;
  return { lines, removed: Math.max(0, left - lines.length) };
}

/** "1, 4–6 and 9" (at most `max` ranges, then "and N more"). */
export function lineRanges(lines: readonly number[], max = 6): string {
  const ranges: string[] = [];
  let start = lines[0];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as number;
    const next = lines[i + 1];
    if (next === line + 1) continue;
    ranges.push(start === line ? String(line) : `${start}–${line}`);
    start = next;
  }
  const shown = ranges.slice(0, max);
  const more = ranges.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}

/** "body: lines 1 and 5–6 are theirs, 1 line of yours they removed" — or null when nothing came from them. */
export function describeTheirLines(field: string, theirs: TheirLines): string | null {
  const parts: string[] = [];
  if (theirs.lines.length > 0) {
    parts.push(`${theirs.lines.length === 1 ? 'line' : 'lines'} ${lineRanges(theirs.lines)} from them`);
  }
  if (theirs.removed > 0) parts.push(`${theirs.removed} ${theirs.removed === 1 ? 'line' : 'lines'} removed by them`);
  return parts.length > 0 ? `${field}: ${parts.join(', ')}` : null;
}
