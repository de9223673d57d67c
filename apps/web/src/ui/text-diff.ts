import { diffLines, diffWordsWithSpace } from 'diff';

/** A piece of text and how it differs between two versions. */
export interface DiffSegment {
  text: string;
  change: 'same' | 'added' | 'removed';
}

/** Word refinement of a replaced block stops being worth it past this size (the diff is O(N·D)). */
const WORD_LIMIT = 20_000;

function push(out: DiffSegment[], text: string, change: DiffSegment['change']): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.change === change) last.text += text;
  else out.push({ text, change });
}

/**
 * How `after` differs from `before`, for people: line by line (npm `diff`), and where lines were
 * replaced, word by word inside them, so only the words that changed are marked. Joining the
 * `same` and `removed` segments gives `before`; joining `same` and `added` gives `after`.
 */
export function textDiff(before: string, after: string): DiffSegment[] {
  const out: DiffSegment[] = [];
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      const small = part.value.length + next.value.length <= WORD_LIMIT;
      if (small) {
        for (const word of diffWordsWithSpace(part.value, next.value)) {
          push(out, word.value, word.added ? 'added' : word.removed ? 'removed' : 'same');
        }
      } else {
        push(out, part.value, 'removed');
        push(out, next.value, 'added');
      }
      i++;
      continue;
    }
    push(out, part.value, part.added ? 'added' : part.removed ? 'removed' : 'same');
  }
  return out;
}

/** The text a diff turns `before` into, or `before` itself: a check that nothing was dropped. */
export function sideOf(segments: readonly DiffSegment[], side: 'before' | 'after'): string {
  const skip = side === 'before' ? 'added' : 'removed';
  return segments
    .filter((segment) => segment.change !== skip)
    .map((segment) => segment.text)
    .join('');
}
