import { describe, expect, it } from 'vitest';
import {
  chosenText,
  type FieldPlan,
  hasHunks,
  hunkPlace,
  hunkText,
  NO_CHOICES,
  resolvedTextValues,
  sameEverywhere,
  textConflictPlan,
} from './text-resolution.ts';

const base = {
  title: 'Opening',
  body: 'Unlock the doors.\nSwitch on the lights.\nCount the till.\nOpen the blinds.\n',
};
const server = {
  id: 'd1',
  title: 'Opening',
  body: 'Unlock both doors.\nSwitch on the lights.\nCount the till twice.\nOpen the blinds.\n',
  version: 3,
  updated_by: 'bob',
};
const client = {
  title: 'Opening (weekdays)',
  body: 'Unlock the front doors.\nSwitch on the lights.\nCount the till and the safe.\nOpen the blinds.\n',
  version: 3,
};

const hunksOf = (plans: FieldPlan[]) => {
  const plan = plans.find((p) => p.kind === 'hunks');
  if (plan?.kind !== 'hunks') throw new Error('no hunks');
  return plan;
};

describe('textConflictPlan', () => {
  const plans = textConflictPlan('documents', client, server, base);

  it('settles the title only the author changed, and finds the two overlapping paragraphs', () => {
    expect(plans.map((plan) => [plan.field, plan.kind])).toEqual([
      ['title', 'settled'],
      ['body', 'hunks'],
    ]);
    expect(plans[0]).toMatchObject({ value: 'Opening (weekdays)' });
    const body = hunksOf(plans);
    expect(body.merge.hunks).toEqual([
      { line: 0, base: 'Unlock the doors.\n', server: 'Unlock both doors.\n', client: 'Unlock the front doors.\n' },
      {
        line: 2,
        base: 'Count the till.\n',
        server: 'Count the till twice.\n',
        client: 'Count the till and the safe.\n',
      },
    ]);
    expect(hasHunks(plans)).toBe(true);
    expect(body.merge.hunks.map(hunkPlace)).toEqual(['Paragraph 1', 'Paragraph 3']);
  });

  it('stores per hunk what was chosen, the merged rest, and the settled fields', () => {
    const choices = { ...NO_CHOICES, hunks: { body: ['mine', 'theirs'] as const } };
    expect(resolvedTextValues(plans, choices)).toEqual({
      title: 'Opening (weekdays)',
      body: 'Unlock the front doors.\nSwitch on the lights.\nCount the till twice.\nOpen the blinds.\n',
    });
    const both = { ...NO_CHOICES, hunks: { body: ['theirs-first', 'mine-first'] as const } };
    expect(resolvedTextValues(plans, both).body).toBe(
      'Unlock both doors.\nUnlock the front doors.\nSwitch on the lights.\nCount the till and the safe.\nCount the till twice.\nOpen the blinds.\n',
    );
  });

  it('mine in every place keeps the other side’s changes to paragraphs the edit did not touch', () => {
    const moved = { ...server, body: `${server.body}Close the till.\n` };
    const p = textConflictPlan('documents', client, moved, base);
    expect(resolvedTextValues(p, sameEverywhere(p, 'mine'))).toEqual({
      title: 'Opening (weekdays)',
      body: `${client.body}Close the till.\n`,
    });
    expect(resolvedTextValues(p, sameEverywhere(p, 'theirs')).body).toBe(moved.body);
    const picks = textConflictPlan('tasks', { priority: 5 }, { priority: 2 }, { priority: 3 });
    expect(resolvedTextValues(picks, sameEverywhere(picks, 'mine'))).toEqual({ priority: 5 });
  });

  it('defaults every hunk to the server text: no choice keeps the server body', () => {
    expect(resolvedTextValues(plans, NO_CHOICES).body).toBe(server.body);
  });

  it('a text edited by hand replaces the hunk choices, exactly as typed', () => {
    const choices = { ...NO_CHOICES, hunks: { body: ['mine', 'mine'] as const }, edited: { body: 'Just this.' } };
    expect(resolvedTextValues(plans, choices)).toEqual({ title: 'Opening (weekdays)', body: 'Just this.' });
    expect(chosenText(hunksOf(plans), choices)).toBe(client.body);
  });

  it('keeps a document without a final newline without one', () => {
    const p = textConflictPlan('documents', { body: 'a\nmine' }, { body: 'a\ntheirs' }, { body: 'a\nbase' });
    expect(resolvedTextValues(p, { ...NO_CHOICES, hunks: { body: ['mine-first'] } })).toEqual({
      body: 'a\nmine\ntheirs',
    });
  });

  it('regenerates the places from refreshed server values (a stale resolution refreshed them)', () => {
    const moved = { ...server, body: `${server.body.replace('Open the blinds.', 'Open the shutters.')}`, version: 4 };
    const again = hunksOf(textConflictPlan('documents', { ...client, body: `${client.body}` }, moved, base));
    expect(again.merge.hunks).toHaveLength(2);
    expect(resolvedTextValues(textConflictPlan('documents', client, moved, base), NO_CHOICES).body).toContain(
      'Open the shutters.',
    );
  });

  it('a value changed by both that is not merged by lines is mine or theirs (default theirs)', () => {
    const p = textConflictPlan('tasks', { priority: 5 }, { priority: 2 }, { priority: 3 });
    expect(p).toEqual([{ field: 'priority', kind: 'pick', mine: 5, server: 2 }]);
    expect(resolvedTextValues(p, NO_CHOICES)).toEqual({ priority: 2 });
    expect(resolvedTextValues(p, { ...NO_CHOICES, picks: { priority: 'mine' } })).toEqual({ priority: 5 });
    expect(hasHunks(p)).toBe(false);
  });

  it('a single line both changed (a title) is mine or theirs, not a place to join', () => {
    const p = textConflictPlan('documents', { title: 'Mine' }, { title: 'Theirs' }, { title: 'Base' });
    expect(p).toEqual([{ field: 'title', kind: 'pick', mine: 'Mine', server: 'Theirs' }]);
    expect(hasHunks(p)).toBe(false);
  });

  it('without a base value a text is a pick, never a guess', () => {
    const p = textConflictPlan('documents', { body: 'mine' }, { body: 'theirs' }, null);
    expect(p).toEqual([{ field: 'body', kind: 'pick', mine: 'mine', server: 'theirs' }]);
  });
});

describe('hunkText', () => {
  const hunk = { line: 0, base: 'b\n', server: 's\n', client: 'c\n' };
  it('puts mine, theirs or both in either order', () => {
    expect(['mine', 'theirs', 'mine-first', 'theirs-first'].map((c) => hunkText(hunk, c as never))).toEqual([
      'c\n',
      's\n',
      'c\ns\n',
      's\nc\n',
    ]);
  });
});
