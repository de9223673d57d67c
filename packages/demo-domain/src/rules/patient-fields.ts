import type { Role } from '../roles.ts';

/**
 * Who may write which patient fields (`fieldLww({ ownership })` in the policy). Doctors own the
 * clinical assessment, nurses record vitals; both write notes and vitals, so concurrent edits of
 * the same field happen and are settled by last-write-wins.
 */
export const PATIENT_FIELDS_BY_ROLE: Readonly<Record<Role, readonly string[]>> = {
  doctor: ['name', 'date_of_birth', 'diagnosis', 'treatment', 'notes', 'heart_rate', 'blood_pressure', 'temperature'],
  nurse: ['notes', 'heart_rate', 'blood_pressure', 'temperature'],
  clerk: [],
  manager: [],
  reviewer: [],
};

/** Only doctors admit (create) and discharge (delete) patients. */
export const PATIENT_ADMINS: readonly Role[] = ['doctor'];
