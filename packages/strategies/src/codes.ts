import { ValidationCode } from '@cr/schema';

/**
 * Why the engine refused an operation. Stable: clients, tests and metrics match on these strings;
 * the accompanying message is for people and may change. An app's own rules add codes of their
 * own (any stable string); these are the ones the packages produce.
 */
export const RejectionCode = {
  ...ValidationCode,
  /** The envelope: an operation the engine cannot even interpret. */
  UnknownTable: 'UNKNOWN_TABLE',
  UnknownOperation: 'UNKNOWN_OPERATION',
  InvalidMetadata: 'INVALID_METADATA',
  InvalidPrevious: 'INVALID_PREVIOUS_VALUES',
  /** The same operation id twice in one upload: only the first is the operation. */
  DuplicateOperationId: 'DUPLICATE_OPERATION_ID',
  /** Authorization, from the token's role and row ownership. */
  TableNotPermitted: 'TABLE_NOT_PERMITTED',
  FieldNotPermitted: 'FIELD_NOT_PERMITTED',
  ActionNotPermitted: 'ACTION_NOT_PERMITTED',
  NotOwner: 'NOT_OWNER',
  ReadOnlyTable: 'READ_ONLY_TABLE',
  ServerOwnedTable: 'SERVER_OWNED_TABLE',
  /** Row existence. */
  RowNotFound: 'ROW_NOT_FOUND',
  RowExists: 'ROW_EXISTS',
  /** The id belonged to a row that was deleted; ids are never reused (tombstones). */
  RowDeleted: 'ROW_DELETED',
  /** Optimistic concurrency inputs the client must send. */
  MissingBaseVersion: 'MISSING_BASE_VERSION',
  MissingVersionToken: 'MISSING_VERSION_TOKEN',
  InvalidVersionToken: 'INVALID_VERSION_TOKEN',
  /** An app's rule on values (`checkValues` in the policy) refused them. */
  RuleViolation: 'RULE_VIOLATION',
  /** Deltas: the server's result would leave the column's bounds. */
  BelowMinimum: 'BELOW_MINIMUM',
  MissingDeltaBase: 'MISSING_DELTA_BASE',
  InconsistentDelta: 'INCONSISTENT_DELTA',
  /** Conflict resolution and change tracking. */
  AlreadyResolved: 'ALREADY_RESOLVED',
  InvalidResolution: 'INVALID_RESOLUTION',
  StaleResolution: 'STALE_RESOLUTION',
  TargetDeleted: 'TARGET_DELETED',
  AlreadyApplied: 'ALREADY_APPLIED',
  FieldNotTracked: 'FIELD_NOT_TRACKED',
  /** Judging the change failed in a way no rule foresaw; it is failed alone, with the reason. */
  ProcessingFailed: 'PROCESSING_FAILED',
  /** Postgres refused the write (unique, foreign key, check) although the strategy accepted it. */
  ConstraintViolation: 'CONSTRAINT_VIOLATION',
  /** Last-write-wins: a field edit older than the server's value (recorded, the op is merged). */
  FieldSuperseded: 'FIELD_SUPERSEDED',
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

/** Why an operation was recorded as a conflict instead of applied. */
export const ConflictCode = {
  /** Timestamp strategy: the row changed after the version the client edited. */
  StaleWrite: 'STALE_WRITE',
  /** Version strategy: the client edited another version than the server's. */
  VersionMismatch: 'VERSION_MISMATCH',
  /** An insert met an existing row with the same id. */
  RowExists: 'ROW_EXISTS',
  /** Three-way merge: both sides changed the same lines (or the same value) differently. */
  OverlappingEdits: 'OVERLAPPING_EDITS',
} as const;
export type ConflictCode = (typeof ConflictCode)[keyof typeof ConflictCode];

/** Why an operation was merged rather than applied as sent. */
export const MergeCode = {
  /** Three-way merge: an edit of an older version merged with the server's newer one. */
  MergedConcurrentEdits: 'MERGED_CONCURRENT_EDITS',
  /** Three-way merge: what merged is applied; the fields both sides changed are a conflict. */
  MergedWithConflict: 'MERGED_WITH_CONFLICT',
} as const;
export type MergeCode = (typeof MergeCode)[keyof typeof MergeCode];
