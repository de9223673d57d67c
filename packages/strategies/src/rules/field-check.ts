import { columnSpec, expectedValue, getTable, type TableName, ValidationCode, validateValue } from '@cr/schema';
import type { RejectionCode } from '../codes.ts';
import { checkTaskValues } from './task-rules.ts';

/** Why a value a person entered would be refused, in words a form can show next to the field. */
export interface FieldProblem {
  field: string;
  code: RejectionCode;
  /** A short sentence without the table or column name: "Must be a priority from 1 (highest) to 5." */
  hint: string;
}

/** Rules beyond the column types, per table, judged one field at a time (as the worker does). */
const FIELD_RULES: Partial<Record<TableName, (values: Record<string, unknown>) => { message: string } | null>> = {
  tasks: checkTaskValues,
};

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Checks the values of a form with the validators the upload API runs (packages/schema column
 * specs, then the table's rules), so a person is told at the point of entry, online or offline,
 * instead of hours later by a refusal. The API still validates everything it receives.
 */
export function checkFields(table: TableName, values: Record<string, unknown>): FieldProblem[] {
  const definition = getTable(table);
  const problems: FieldProblem[] = [];
  for (const [field, value] of Object.entries(values)) {
    const spec = columnSpec(definition, field);
    const result = validateValue(definition, field, value);
    if (!result.ok) {
      const blank =
        typeof value === 'string' && value.trim() === '' && (spec?.notBlank === true || (spec?.min ?? 0) >= 1);
      const hint =
        result.code === ValidationCode.NotNull || blank
          ? 'Cannot be empty.'
          : sentence(`must be ${expectedValue(definition, field) ?? 'a valid value'}`);
      problems.push({ field, code: result.code, hint });
      continue;
    }
    const rule = FIELD_RULES[table]?.({ [field]: result.value });
    if (rule) problems.push({ field, code: 'RULE_VIOLATION', hint: rule.message });
  }
  return problems;
}
