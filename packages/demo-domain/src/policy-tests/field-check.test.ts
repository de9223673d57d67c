import { describe, expect, it } from 'vitest';
import { policy } from '../policy.ts';

describe('checkFields (what a form says at the point of entry)', () => {
  it('says what each refused field must be, as the upload API would refuse it', () => {
    expect(policy.checkFields('tasks', { title: '   ', priority: 9, status: 'done' })).toEqual([
      { field: 'title', code: 'RULE_VIOLATION', hint: 'A task title cannot be blank.' },
      { field: 'priority', code: 'INVALID_VALUE', hint: 'Must be a priority from 1 (highest) to 5.' },
    ]);
    expect(policy.checkFields('patients', { heart_rate: 'ninety', blood_pressure: '120-80', temperature: 37 })).toEqual(
      [
        { field: 'heart_rate', code: 'INVALID_VALUE', hint: 'Must be beats per minute, 20 to 250.' },
        { field: 'blood_pressure', code: 'INVALID_VALUE', hint: 'Must be systolic/diastolic, like 120/80.' },
      ],
    );
    expect(policy.checkFields('orders', { quantity: -1, customer: '' })).toEqual([
      { field: 'quantity', code: 'INVALID_VALUE', hint: 'Must be a quantity of zero or more.' },
      { field: 'customer', code: 'INVALID_VALUE', hint: 'Cannot be empty.' },
    ]);
  });

  it('calls an empty required text empty', () => {
    expect(policy.checkFields('tasks', { title: '' })).toEqual([
      { field: 'title', code: 'INVALID_VALUE', hint: 'Cannot be empty.' },
    ]);
  });

  it('accepts what the API accepts', () => {
    expect(policy.checkFields('documents', { title: 'Plan', body: '' })).toEqual([]);
    expect(policy.checkFields('patients', { heart_rate: null, date_of_birth: '1990-01-02' })).toEqual([]);
  });

  it('refuses unknown fields rather than passing them on', () => {
    expect(policy.checkFields('tasks', { nope: 1 })).toMatchObject([{ field: 'nope', code: 'UNKNOWN_COLUMN' }]);
  });
});
