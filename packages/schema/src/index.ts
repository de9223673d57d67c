export * from './columns.ts';
export * from './storable.ts';
export * from './table.ts';
export * from './tables.ts';
export * from './timestamps.ts';
export * from './validate.ts';
