import type { ValueProblem } from '@cr/strategies';

/**
 * Task rules beyond the column types (`checkValues` in the policy), so direct edits, tracked
 * field changes, conflict resolutions and forms all accept the same values.
 */
export function checkTaskValues(values: Record<string, unknown>): ValueProblem | null {
  if (typeof values.title === 'string' && values.title.trim() === '') {
    return { message: 'A task title cannot be blank.' };
  }
  return null;
}

/** Fields of a task that may be edited through tracked field changes (the task editor). */
export const TASK_TRACKED_FIELDS = ['title', 'description', 'status', 'priority', 'due_date', 'assignee_id'] as const;
