import {
  acknowledge,
  definePolicy,
  delta,
  fieldLww,
  readOnly,
  recordConflicts,
  rules,
  threeWayMerge,
  timestamp,
  trackChanges,
} from '@cr/strategies';
import { DemoCode } from './codes.ts';
import { REVIEWERS, ROLES } from './roles.ts';
import { orderRules } from './rules/order-rules.ts';
import { PATIENT_ADMINS, PATIENT_FIELDS_BY_ROLE } from './rules/patient-fields.ts';
import { checkTaskValues, TASK_TRACKED_FIELDS } from './rules/task-rules.ts';
import { schema } from './tables.ts';

const STAFF = ['clerk', 'manager'] as const;

/**
 * How long document history is kept: every version from the last 90 days, and at least the last
 * 100 versions of each document whatever their age (pruned when the document is next written).
 */
export const DOCUMENT_HISTORY = { last: 100, days: 90 } as const;

/**
 * How each demo table is governed, in one place. Read a row as: "uploads to <table> go through
 * <strategy>, by <writers>". Everything else is derived from it: the client's change tracking
 * (client.ts), version tokens, tracked fields, the engine's lock order.
 */
export const policy = definePolicy(schema, {
  roles: ROLES,
  stamps: {
    insert: { created_by: 'user', created_at: 'now' },
    write: { updated_by: 'user', updated_at: 'now', modified_by: 'user' },
  },
  tables: {
    users: { strategy: readOnly() },
    tasks: {
      strategy: timestamp({ column: 'modified_at' }),
      writers: STAFF,
      checkValues: checkTaskValues,
      tracked: TASK_TRACKED_FIELDS,
    },
    documents: {
      strategy: threeWayMerge({ fields: ['title', 'body'], version: 'version' }),
      writers: STAFF,
      history: { table: 'document_revisions', keep: DOCUMENT_HISTORY },
    },
    document_revisions: { strategy: readOnly(), label: { one: 'revision', many: 'revisions' } },
    patients: {
      strategy: fieldLww({ stamps: 'field_versions', ownership: PATIENT_FIELDS_BY_ROLE, admins: PATIENT_ADMINS }),
      writers: ['doctor', 'nurse'],
    },
    inventory: {
      strategy: delta({
        column: 'quantity',
        min: 0,
        belowMin: {
          code: DemoCode.InsufficientStock,
          message: ({ row, current, change }) =>
            `Only ${current} of ${String(row.name)} in stock; cannot take ${-change}.`,
        },
      }),
      writers: STAFF,
      label: { one: 'product', many: 'inventory' },
      describe: (row) => String(row.name),
    },
    orders: { strategy: rules(orderRules), writers: STAFF },
    write_conflicts: {
      strategy: recordConflicts({ reviewers: REVIEWERS }),
      label: { one: 'conflict', many: 'conflicts' },
    },
    field_changes: { strategy: trackChanges() },
    rejections: { strategy: acknowledge() },
  },
});

export type DemoPolicy = typeof policy;
