import { expectedValue, validateValue } from '@cr/schema';
import { describe, expect, it } from 'vitest';
import { schema } from './tables.ts';

const getTable = (name: Parameters<typeof schema.table>[0]) => schema.table(name);

describe('the demo columns: validateValue', () => {
  it('refuses titles and names that are only whitespace', () => {
    for (const [table, column] of [
      ['documents', 'title'],
      ['patients', 'name'],
      ['orders', 'customer'],
      ['inventory', 'name'],
    ] as const) {
      expect(validateValue(getTable(table), column, ' \t ')).toMatchObject({
        ok: false,
        code: 'INVALID_VALUE',
        column,
      });
      expect(validateValue(getTable(table), column, ' x ')).toEqual({ ok: true, value: ' x ' });
    }
    // Tasks refuse a blank title by their rule (RULE_VIOLATION), descriptions may be blank.
    expect(validateValue(getTable('tasks'), 'title', '  ').ok).toBe(true);
    expect(validateValue(getTable('tasks'), 'description', '  ').ok).toBe(true);
  });

  it('checks ranges and types the way a form needs them checked', () => {
    expect(validateValue(getTable('tasks'), 'priority', 9).ok).toBe(false);
    expect(validateValue(getTable('patients'), 'heart_rate', 'ninety').ok).toBe(false);
    expect(validateValue(getTable('patients'), 'blood_pressure', '120/80').ok).toBe(true);
  });
});

describe('expectedValue', () => {
  it('says what a column takes, in words', () => {
    expect(expectedValue(getTable('tasks'), 'priority')).toBe('a priority from 1 (highest) to 5');
    expect(expectedValue(getTable('orders'), 'quantity')).toBe('a quantity of zero or more');
    expect(expectedValue(getTable('documents'), 'body')).toBe('text of at most 100000 characters');
    expect(expectedValue(getTable('tasks'), 'nope')).toBeNull();
  });
});
