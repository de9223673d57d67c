import { RejectionCode } from '../codes.ts';
import { type Rejected, reject } from '../compose.ts';

/**
 * Task rules beyond the column types, shared by direct edits (strategies/timestamp.ts) and by
 * tracked field changes (strategies/change-tracking.ts), so both paths accept the same values.
 */
export function checkTaskValues(values: Record<string, unknown>): Rejected | null {
  if (typeof values.title === 'string' && values.title.trim() === '') {
    return reject(RejectionCode.RuleViolation, 'A task title cannot be blank.');
  }
  return null;
}
