import { describe, expect, it } from 'vitest';
import { ctxFor, NOW, operation, PATIENT_ID, patient, rowsOf, run } from './fixtures.ts';

const edit = (data: Record<string, unknown>, editedAt?: string) =>
  operation({
    op: 'PATCH',
    type: 'patients',
    id: PATIENT_ID,
    data,
    ...(editedAt ? { metadata: JSON.stringify({ edited_at: editedAt }) } : {}),
  });

describe('strategy 3: field-level last-write-wins (patients)', () => {
  it("keeps both the doctor's diagnosis and the nurse's vitals, in either arrival order", () => {
    for (const order of [0, 1]) {
      const rows = rowsOf([['patients', patient()]]);
      const doctor = () => run(edit({ diagnosis: 'Type 1 diabetes' }, '2026-11-22T10:00:00.000Z'), rows, ctxFor('dan'));
      const nurse = () =>
        run(edit({ heart_rate: 90, temperature: 37.9 }, '2026-11-22T10:05:00.000Z'), rows, ctxFor('nina'));
      const outcomes = order === 0 ? [doctor(), nurse()] : [nurse(), doctor()];
      expect(outcomes.map((d) => d.outcome)).toEqual(['applied', 'applied']);
      expect(rows.get('patients', PATIENT_ID)).toMatchObject({
        diagnosis: 'Type 1 diabetes',
        heart_rate: 90,
        temperature: 37.9,
        updated_at: '2026-11-22T10:05:00.000Z',
        updated_by: 'nina',
      });
    }
  });

  it('drops an older edit of a field that was written later, and says so', () => {
    const rows = rowsOf([['patients', patient()]]);
    run(edit({ notes: 'Nurse note' }, '2026-11-22T10:05:00.000Z'), rows, ctxFor('nina'));
    const late = run(edit({ notes: 'Doctor note', diagnosis: 'Flu' }, '2026-11-22T10:00:00.000Z'), rows, ctxFor('dan'));
    expect(late).toMatchObject({
      outcome: 'merged',
      dropped: [{ field: 'notes', attempted: 'Doctor note', kept: 'Nurse note' }],
    });
    expect(rows.get('patients', PATIENT_ID)).toMatchObject({ notes: 'Nurse note', diagnosis: 'Flu' });
  });

  it('clamps an edit time in the future to the server clock', () => {
    const rows = rowsOf([['patients', patient()]]);
    run(edit({ notes: 'From the future' }, '2030-01-01T00:00:00.000Z'), rows, ctxFor('nina'));
    const versions = rows.get('patients', PATIENT_ID)?.field_versions as Record<string, { at: string }>;
    expect(versions.notes?.at).toBe(NOW);
  });

  it('uses the arrival time when the client sent no edit time', () => {
    const rows = rowsOf([['patients', patient()]]);
    expect(run(edit({ notes: 'No metadata' }), rows, ctxFor('nina')).outcome).toBe('applied');
    expect(rows.get('patients', PATIENT_ID)?.updated_at).toBe(NOW);
  });

  it.each([
    ['a nurse changing the diagnosis', 'nina', { diagnosis: 'x' }, 'FIELD_NOT_PERMITTED'],
    ['a clerk changing anything', 'alice', { notes: 'x' }, 'TABLE_NOT_PERMITTED'],
  ])('rejects %s', (_, user, data, code) => {
    const rows = rowsOf([['patients', patient()]]);
    expect(run(edit(data, NOW), rows, ctxFor(user))).toMatchObject({ outcome: 'rejected', code });
    expect(rows.get('patients', PATIENT_ID)).toEqual(patient());
  });

  it('rejects an edit time that is not a timestamp', () => {
    const rows = rowsOf([['patients', patient()]]);
    expect(run(edit({ notes: 'x' }, 'yesterday'), rows, ctxFor('nina'))).toMatchObject({ code: 'INVALID_METADATA' });
  });

  it('lets only doctors admit and remove patients', () => {
    const rows = rowsOf([], [['patients', PATIENT_ID]]);
    const put = operation({ op: 'PUT', type: 'patients', id: PATIENT_ID, data: { name: 'New Patient' } });
    expect(run(put, rows, ctxFor('nina'))).toMatchObject({ outcome: 'rejected', code: 'ACTION_NOT_PERMITTED' });
    expect(run(put, rows, ctxFor('dan')).outcome).toBe('applied');
    expect(rows.get('patients', PATIENT_ID)).toMatchObject({ name: 'New Patient', updated_by: 'dan' });
    const del = operation({ op: 'DELETE', type: 'patients', id: PATIENT_ID });
    expect(run(del, rows, ctxFor('nina'))).toMatchObject({ code: 'ACTION_NOT_PERMITTED' });
    expect(run(del, rows, ctxFor('dan')).outcome).toBe('applied');
  });
});
