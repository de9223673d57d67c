import { policy } from '@cr/demo-domain';
import type { Row } from '@cr/strategies';
import { parseJsonColumn } from '../ui/ids.ts';

/**
 * Who last changed a field of a synced row: the per-field stamp of patients (field-level
 * last-write-wins), else the row's last editor (its write stamp, from the policy).
 */
export function whoChanged(table: string, row: Row, field: string): string | null {
  if (table === 'patients') {
    const stamps = parseJsonColumn<Record<string, { by?: unknown }>>(row.field_versions);
    const by = stamps?.[field]?.by;
    if (typeof by === 'string') return by;
  }
  return policy.schema.has(table) ? policy.table(table).writtenBy(row) : null;
}

/** "the title", "the title and the priority", "the title, the text and the status". */
export function listFields(labels: readonly string[]): string {
  const named = labels.map((label) => `the ${label.toLowerCase()}`);
  if (named.length <= 1) return named[0] ?? 'it';
  return `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** "Bob Brown", "Bob Brown and Carol Chen", "you". */
export function listPeople(names: readonly string[]): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? 'Someone';
  return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}
