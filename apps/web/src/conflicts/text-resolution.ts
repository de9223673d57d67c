import { schema } from '@cr/demo-domain';
import { sameValue } from '@cr/schema';
import { assembleText, mergeText, type TextHunk, type TextMerge } from '@cr/strategies';
import { conflictFields } from './conflict-diff.ts';

/**
 * The pure half of the banner for text conflicts (OVERLAPPING_EDITS of the three-way merge): the
 * plan of each field the edit changed, and the values a per-hunk choice stores. The hunks are not
 * stored with the conflict; they are regenerated here from its base, server and client values by
 * the same `mergeText` the server ran, so a conflict whose server values were refreshed (a
 * resolution refused as stale) shows the places of the new server version.
 */

export type HunkChoice = 'mine' | 'theirs' | 'mine-first' | 'theirs-first';

export const HUNK_CHOICES: readonly HunkChoice[] = ['mine', 'theirs', 'mine-first', 'theirs-first'];

export type FieldPlan =
  /** Changed by one side only, or merged without overlap: the value is settled. */
  | { field: string; kind: 'settled'; value: unknown; mine: unknown; server: unknown }
  /** Text both sides changed in the same places: a choice per hunk. */
  | { field: string; kind: 'hunks'; merge: Extract<TextMerge, { status: 'conflict' }>; mine: string; server: string }
  /** A value both sides changed differently that is not merged by lines: mine or theirs. */
  | { field: string; kind: 'pick'; mine: unknown; server: unknown };

function isTextColumn(table: string, field: string): boolean {
  if (!schema.has(table)) return false;
  const column = Object.entries(schema.table(table).columns).find(([name]) => name === field)?.[1];
  return column?.spec.kind === 'text';
}

/** Each field the conflicting edit changed, three ways (base → server, base → mine). */
export function textConflictPlan(
  table: string,
  client: Record<string, unknown> | null,
  server: Record<string, unknown> | null,
  base: Record<string, unknown> | null,
): FieldPlan[] {
  return conflictFields(table, client, server).map(({ field, mine, server: theirs }): FieldPlan => {
    const hasBase = base !== null && Object.hasOwn(base, field);
    const was = base?.[field];
    if (hasBase && isTextColumn(table, field) && typeof was === 'string') {
      if (typeof mine === 'string' && typeof theirs === 'string') {
        const merge = mergeText(was, theirs, mine);
        if (merge.status === 'merged') return { field, kind: 'settled', value: merge.merged, mine, server: theirs };
        // A single line (a title, a one-paragraph text) is one place: mine or theirs, as any value.
        if ([was, theirs, mine].some((text) => text.includes('\n'))) {
          return { field, kind: 'hunks', merge, mine, server: theirs };
        }
      }
    }
    if (sameValue(mine, theirs)) return { field, kind: 'settled', value: theirs, mine, server: theirs };
    if (hasBase && sameValue(theirs, was)) return { field, kind: 'settled', value: mine, mine, server: theirs };
    if (hasBase && sameValue(mine, was)) return { field, kind: 'settled', value: theirs, mine, server: theirs };
    return { field, kind: 'pick', mine, server: theirs };
  });
}

/** Whether a conflict is shown with the text banner: it has at least one field with hunks. */
export function hasHunks(plans: readonly FieldPlan[]): boolean {
  return plans.some((plan) => plan.kind === 'hunks');
}

/** The text one choice puts in place of a hunk (hunk texts end with their line end). */
export function hunkText(hunk: TextHunk, choice: HunkChoice): string {
  switch (choice) {
    case 'mine':
      return hunk.client;
    case 'theirs':
      return hunk.server;
    case 'mine-first':
      return hunk.client + hunk.server;
    case 'theirs-first':
      return hunk.server + hunk.client;
  }
}

/** What the user chose so far: per field, a choice per hunk or a side, or a text edited by hand. */
export interface TextChoices {
  hunks: Readonly<Record<string, readonly HunkChoice[]>>;
  picks: Readonly<Record<string, 'mine' | 'theirs'>>;
  /** A field's merged text as the user edited it by hand; it replaces the hunk choices. */
  edited: Readonly<Record<string, string>>;
}

export const NO_CHOICES: TextChoices = { hunks: {}, picks: {}, edited: {} };

/** The default of a hunk with no choice yet: the server's text (as the field-by-field merge). */
export const DEFAULT_HUNK_CHOICE: HunkChoice = 'theirs';

/** A field's text from the hunk choices alone (what the hand-edit box starts from). */
export function chosenText(plan: Extract<FieldPlan, { kind: 'hunks' }>, choices: TextChoices): string {
  const chosen = choices.hunks[plan.field] ?? [];
  return assembleText(plan.merge, (hunk, index) => hunkText(hunk, chosen[index] ?? DEFAULT_HUNK_CHOICE));
}

/**
 * The values a "merged" resolution stores, field by field: settled values as merged, hunks as
 * chosen (or the hand-edited text), picks as chosen (default: the server's). The preview shows
 * exactly this object, and the save sends exactly this object.
 */
export function resolvedTextValues(plans: readonly FieldPlan[], choices: TextChoices): Record<string, unknown> {
  return Object.fromEntries(
    plans.map((plan) => {
      switch (plan.kind) {
        case 'settled':
          return [plan.field, plan.value];
        case 'pick':
          return [plan.field, choices.picks[plan.field] === 'mine' ? plan.mine : plan.server];
        default:
          return [plan.field, choices.edited[plan.field] ?? chosenText(plan, choices)];
      }
    }),
  );
}

/**
 * The same side in every place (`mine` or `theirs`), the merged rest kept: what "keep mine" means
 * for a text conflict. Writing the whole of the conflicting edit instead (resolution `mine`) would
 * drop the other side's changes to paragraphs the edit never touched, which nobody was shown.
 */
export function sameEverywhere(plans: readonly FieldPlan[], side: 'mine' | 'theirs'): TextChoices {
  const hunks: Record<string, HunkChoice[]> = {};
  const picks: Record<string, 'mine' | 'theirs'> = {};
  for (const plan of plans) {
    if (plan.kind === 'hunks') hunks[plan.field] = plan.merge.hunks.map(() => side);
    if (plan.kind === 'pick') picks[plan.field] = side;
  }
  return { hunks, picks, edited: {} };
}

/** "Paragraph 3", "Paragraphs 3–5", "After paragraph 2" — where a hunk sits in the base text. */
export function hunkPlace(hunk: TextHunk): string {
  const lines = hunk.base === '' ? 0 : (hunk.base.match(/\n/g)?.length ?? 0);
  if (lines === 0) return hunk.line === 0 ? 'At the start' : `After paragraph ${hunk.line}`;
  const first = hunk.line + 1;
  return lines === 1 ? `Paragraph ${first}` : `Paragraphs ${first}–${first + lines - 1}`;
}
