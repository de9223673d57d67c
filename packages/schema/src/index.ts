export * from './columns.ts';
export { defineSchema, type Schema, type TableNameOf } from './schema.ts';
export * from './storable.ts';
export * from './table.ts';
export * from './timestamps.ts';
export * from './validate.ts';
export { sameValue } from './values.ts';
