import { describe, expect, it } from 'vitest';
import { conflictStory, outcomeStory } from './conflict-story.ts';

const names: Record<string, string> = { alice: 'Alice Adams', bob: 'Bob Brown', rita: 'Rita Ruiz' };
const nameOf = (id: unknown) => names[String(id)] ?? String(id);

describe('conflictStory', () => {
  it('tells a version conflict with names, not ids', () => {
    const story = conflictStory(
      { code: 'VERSION_MISMATCH', message: '…', table_name: 'documents', user_id: 'alice' },
      { server: { version: 2, updated_by: 'bob' }, base: { version: 1 } },
      'alice',
      nameOf,
    );
    expect(story).toBe(
      'Your edit was made on version 1; Bob Brown saved version 2 first. Nothing was overwritten: choose what to keep.',
    );
  });

  it('tells a text conflict: the same paragraphs changed, chosen per place', () => {
    const story = conflictStory(
      { code: 'OVERLAPPING_EDITS', message: '…', table_name: 'documents', user_id: 'alice' },
      { server: { version: 2, updated_by: 'bob' }, base: { version: 1, body: 'x' } },
      'alice',
      nameOf,
    );
    expect(story).toBe(
      'Your edit was made on version 1; Bob Brown saved version 2 first, and both changed the same paragraphs. Nothing was overwritten: choose what to keep in each place; the rest of both edits is merged when you save.',
    );
  });

  it('tells a stale task edit with friendly times, for a reviewer', () => {
    const story = conflictStory(
      { code: 'STALE_WRITE', message: '…', table_name: 'tasks', user_id: 'alice' },
      {
        server: { modified_at: '2026-11-22T10:42:00.000Z', modified_by: 'bob' },
        base: { modified_at: '2026-11-22T10:31:00.000Z' },
      },
      'rita',
      nameOf,
    );
    expect(story).toMatch(
      /^Alice Adams’s edit was made on the version of .+; Bob Brown changed the task at .+, before it arrived\./,
    );
    expect(story).not.toMatch(/2026-|alice|bob/);
  });

  it('falls back to the server’s sentence', () => {
    expect(
      conflictStory(
        { code: 'OTHER', message: 'Server says.', table_name: 'tasks', user_id: 'a' },
        { server: null, base: null },
        'a',
        nameOf,
      ),
    ).toBe('Server says.');
  });
});

describe('outcomeStory', () => {
  it('tells the author how their conflict ended', () => {
    const server = { modified_by: 'bob' };
    const resolved = (resolution: string) => ({ resolution, resolved_by: 'rita', table_name: 'tasks' });
    expect(outcomeStory(resolved('mine'), server, 'alice', nameOf)).toBe('Rita Ruiz kept your version');
    expect(outcomeStory(resolved('server'), server, 'alice', nameOf)).toBe(
      'Rita Ruiz kept Bob Brown’s version; your edit was not applied',
    );
    expect(outcomeStory(resolved('merged'), server, 'alice', nameOf)).toBe(
      'Rita Ruiz merged your edit with Bob Brown’s version, field by field',
    );
    expect(outcomeStory({ ...resolved('merged'), code: 'OVERLAPPING_EDITS' }, server, 'alice', nameOf)).toBe(
      'Rita Ruiz merged your edit with Bob Brown’s version, choosing in each place you both changed',
    );
  });
});
