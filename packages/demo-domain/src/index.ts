export * from './codes.ts';
export { type DemoPolicy, policy } from './policy.ts';
export * from './roles.ts';
export * from './rules/order-rules.ts';
export * from './rules/patient-fields.ts';
export * from './rules/task-rules.ts';
export * from './tables.ts';
