import type { OperationOutcome } from '@cr/connector-kit';

const NOUNS: Record<string, string> = { inventory: 'stock', field_changes: 'tracked', write_conflicts: 'conflict' };

/** Server sentences that are about ids, columns or raw timestamps stay out of the toast. */
const TECHNICAL = /\d{4}-\d{2}-\d{2}T|\b[a-z_]+\.[a-z_]+\b|[0-9a-f]{8}-[0-9a-f]{4}-/;

/**
 * A short sentence for a notable outcome, for the toast shown right after the upload. The lasting
 * record (the refusal list, the conflicts banner, a document's history) names the record and
 * tells the story in full.
 */
export function describeOutcome(outcome: OperationOutcome): string {
  const what = `${NOUNS[outcome.table] ?? outcome.table.replace(/s$/, '')} change`;
  if (outcome.status === 'merged') {
    // A merge tells the author what came from the other side ("From version 4: body: lines 3 and 7 from them.").
    const told = outcome.message && !TECHNICAL.test(outcome.message) ? ` ${outcome.message}` : '';
    return `Your ${what} was merged with a newer version.${told}`;
  }
  if (outcome.status === 'conflict') {
    return `Your ${what} met a newer version on the server and was not applied; it waits in the conflicts banner.`;
  }
  const reason = outcome.message && !TECHNICAL.test(outcome.message) ? outcome.message : 'see Refused changes.';
  return `Your ${what} was refused: ${reason}`;
}
