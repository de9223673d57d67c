/** The demo's roles (in the signed token) and the values its tables use. */
export const ROLES = ['clerk', 'manager', 'doctor', 'nurse', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Roles that see and resolve everyone's conflicts (the sync rules give them the review queue). */
export const REVIEWERS: readonly Role[] = ['reviewer'];
