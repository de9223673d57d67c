import { describe, expect, it } from 'vitest';
import { fieldStamps, patientValue } from './patient-fields.ts';

describe('patientValue', () => {
  it('turns form text into column values', () => {
    expect(patientValue('heart_rate', '72')).toBe(72);
    expect(patientValue('heart_rate', '')).toBeNull();
    expect(patientValue('heart_rate', 'fast')).toBe('fast');
    expect(patientValue('temperature', '37.5')).toBe(37.5);
    expect(patientValue('blood_pressure', ' ')).toBeNull();
    expect(patientValue('date_of_birth', '1990-01-02')).toBe('1990-01-02');
    expect(patientValue('diagnosis', 'Flu')).toBe('Flu');
  });
});

describe('fieldStamps', () => {
  it('reads the server stamps of each field', () => {
    const stamps = fieldStamps(
      JSON.stringify({ diagnosis: { at: '2026-11-22T10:00:00Z', by: 'dan', client: 'c', op: 3 }, junk: 5 }),
    );
    expect(stamps).toEqual({ diagnosis: { at: '2026-11-22T10:00:00Z', by: 'dan' } });
    expect(fieldStamps('{bad')).toEqual({});
    expect(fieldStamps(null)).toEqual({});
  });
});
