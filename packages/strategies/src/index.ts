export * from './codes.ts';
export { absoluteWrite, compose, existsConflict, requireColumn, type StrategyParts } from './compose.ts';
export { applied, type Conflicted, type Rejected, reject } from './decisions.ts';
export { baseValues, editBase } from './edit-base.ts';
export {
  type HistoryConfig,
  RESTORE_KIND,
  revisionKind,
  revisionWrites,
} from './history/revision-writes.ts';
export {
  REVISION_COLUMNS,
  REVISION_KINDS,
  type RevisionKind,
  revisionsTable,
} from './history/revisions-table.ts';
export { describeTheirLines, lineRanges, type TheirLines, theirLines } from './merge-summary.ts';
export * from './operation.ts';
export * from './outcome-rows.ts';
export * from './outcome-tables.ts';
export { definePolicy } from './policy/define-policy.ts';
export type { FieldProblem } from './policy/field-check.ts';
export type { Policy, PolicyConfig, PolicyTable, TableConfig, ValueProblem } from './policy/policy-types.ts';
export { DEFAULT_STAMPS, type StampConfig, type StampSource } from './policy/stamps.ts';
export { applyEffect, changedColumns, nextTimestamp } from './row-values.ts';
export { acknowledge } from './strategies/acknowledge.ts';
export { type DeltaOptions, delta, deriveDelta, type OutOfBounds } from './strategies/delta.ts';
export { compareStamps, editStamp, type FieldLwwOptions, type FieldStamp, fieldLww } from './strategies/field-lww.ts';
export { readOnly } from './strategies/read-only.ts';
export { conflictTarget, type RecordConflictsOptions, recordConflicts } from './strategies/record-conflicts.ts';
export { type OperationRules, rules } from './strategies/rules.ts';
export { type ThreeWayMergeOptions, threeWayMerge } from './strategies/three-way-merge.ts';
export { timestamp } from './strategies/timestamp.ts';
export { type FieldChangeResult, processFieldChange, trackChanges } from './strategies/track-changes.ts';
export { version } from './strategies/version.ts';
export type { Strategy, StrategyFactory, TableContext, TableLabel } from './strategy.ts';
export {
  assembleText,
  joinLines,
  type Lines,
  mergeText,
  mergeTextLines,
  splitLines,
  type TextHunk,
  type TextMerge,
} from './text-merge.ts';
export * from './types.ts';
export { counterToken, timestampToken } from './version-token.ts';
export { type RowChange, WorkingSet } from './working-set.ts';
