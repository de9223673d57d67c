import { describe, expect, it } from 'vitest';
import { AppSchema } from '../src/client-schema.ts';
import { policy } from '../src/policy.ts';

describe('what the policy derives for the notes app', () => {
  it('gives the client the tracking each strategy needs', () => {
    const table = (name: string) => AppSchema.tables.find((t) => t.name === name);
    expect(table('notes')?.trackPrevious).toEqual({ columns: ['version'], onlyWhenChanged: false });
    expect(table('counters')?.trackPrevious).toEqual({ columns: ['value'], onlyWhenChanged: false });
    expect(table('notes')?.trackMetadata).toBe(true);
    expect(table('write_conflicts')?.trackMetadata).toBeFalsy();
  });

  it('derives writers, the version token and the lock order', () => {
    expect(policy.canWrite('member', 'notes')).toBe(true);
    expect(policy.canWrite('guest', 'counters')).toBe(false);
    expect(policy.table('notes').versionToken?.column).toBe('version');
    expect(policy.lockOrder).toEqual(['notes', 'counters', 'write_conflicts', 'rejections']);
  });
});
