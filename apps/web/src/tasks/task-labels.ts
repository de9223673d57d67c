import type { TASK_STATUSES } from '@cr/demo-domain';

export const STATUS_LABELS: Record<(typeof TASK_STATUSES)[number], string> = {
  todo: 'To do',
  in_progress: 'In progress',
  done: 'Done',
};

export function statusLabel(status: unknown): string {
  return STATUS_LABELS[status as keyof typeof STATUS_LABELS] ?? String(status);
}

/** A typed-in priority: a number when it reads as one (checkFields, like the server, judges the range). */
export function parsePriority(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}
