import type { Role } from '@cr/demo-domain';

/** What each demo role does here, in a few words (sign-in screen, header). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  clerk: 'Edits tasks, documents, orders and stock',
  manager: 'As a clerk, and may change order prices',
  doctor: 'Edits every field of a patient record',
  nurse: 'Records vitals and notes of patients',
  reviewer: 'Resolves everyone’s conflicts',
};
