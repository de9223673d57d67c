import { TASK_STATUSES } from '@cr/demo-domain';
import { STATUS_LABELS } from './task-labels.ts';

/** The options of a task-status select, labelled for people. */
export function StatusOptions() {
  return TASK_STATUSES.map((value) => (
    <option key={value} value={value}>
      {STATUS_LABELS[value]}
    </option>
  ));
}
