import type { PatientRow } from '@cr/demo-domain';

export type Patient = Pick<
  PatientRow,
  | 'id'
  | 'name'
  | 'date_of_birth'
  | 'diagnosis'
  | 'treatment'
  | 'heart_rate'
  | 'blood_pressure'
  | 'temperature'
  | 'notes'
  | 'updated_by'
  | 'updated_at'
> & { field_versions: string | null };

/** The fields a person edits: everything but the id and what the server stamps. */
export type PatientField = Exclude<keyof Patient, 'id' | 'updated_by' | 'updated_at' | 'field_versions'>;

/** The fields of a record, in the order shown, and the input each needs (labels: ui/field-labels.ts). */
export const PATIENT_FIELDS: { field: PatientField; kind: 'text' | 'long' | 'number' | 'date' }[] = [
  { field: 'name', kind: 'text' },
  { field: 'date_of_birth', kind: 'date' },
  { field: 'diagnosis', kind: 'long' },
  { field: 'treatment', kind: 'long' },
  { field: 'heart_rate', kind: 'number' },
  { field: 'blood_pressure', kind: 'text' },
  { field: 'temperature', kind: 'number' },
  { field: 'notes', kind: 'long' },
];

/**
 * Form text → column value: empty optional fields are null; numbers when they read as numbers,
 * else the text, which the shared validators (checkFields) then refuse with the field's rule.
 */
export function patientValue(field: PatientField, text: string): string | number | null {
  const trimmed = text.trim();
  const kind = PATIENT_FIELDS.find((entry) => entry.field === field)?.kind;
  if (kind === 'number') return trimmed === '' ? null : Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  if (kind === 'date' || field === 'blood_pressure') return trimmed === '' ? null : trimmed;
  return text;
}

export interface FieldStamp {
  at: string;
  by: string;
}

/** Who last changed each field, from the server's per-field stamps (field_versions). */
export function fieldStamps(fieldVersions: unknown): Record<string, FieldStamp> {
  let parsed: unknown = fieldVersions;
  if (typeof fieldVersions === 'string') {
    try {
      parsed = JSON.parse(fieldVersions);
    } catch {
      return {};
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const stamps: Record<string, FieldStamp> = {};
  for (const [field, stamp] of Object.entries(parsed as Record<string, unknown>)) {
    const { at, by } = (stamp ?? {}) as { at?: unknown; by?: unknown };
    if (typeof at === 'string' && typeof by === 'string') stamps[field] = { at, by };
  }
  return stamps;
}
