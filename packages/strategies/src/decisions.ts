import type { Decision, Write } from './types.ts';

export type Rejected = Extract<Decision, { outcome: 'rejected' }>;
export type Conflicted = Extract<Decision, { outcome: 'conflict' }>;

/** A refusal with a stable code and a sentence for people (and, rarely, writes it still implies). */
export const reject = (code: string, message: string, writes: Write[] = []): Rejected => ({
  outcome: 'rejected',
  code,
  message,
  writes,
});

export const applied = (...writes: Write[]): Decision => ({ outcome: 'applied', writes });
