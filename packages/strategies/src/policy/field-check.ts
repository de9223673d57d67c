import { columnSpec, expectedValue, ValidationCode, validateValue } from '@cr/schema';
import type { TableContext } from '../strategy.ts';

/** Why a value a person entered would be refused, in words a form can show next to the field. */
export interface FieldProblem {
  field: string;
  code: string;
  /** A short sentence without the table or column name: "Must be a priority from 1 (highest) to 5." */
  hint: string;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Checks the values of a form with the validators the upload engine runs (the column specs of the
 * schema, then the table's `checkValues`), one field at a time as a tracked change is judged, so a
 * person is told at the point of entry, online or offline, instead of hours later by a refusal.
 * The engine still validates everything it receives.
 */
export function checkFields(table: TableContext, values: Record<string, unknown>): FieldProblem[] {
  const definition = table.definition;
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
    const rule = table.checkValues({ [field]: result.value });
    if (rule) problems.push({ field, code: rule.code, hint: rule.message });
  }
  return problems;
}
