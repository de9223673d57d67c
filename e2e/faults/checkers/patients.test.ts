import { describe, expect, it } from 'vitest';
import type { ClientInfo, IssuedTx, UploadAttempt } from '../history.ts';
import { history } from './fixtures.ts';
import { checkPatients } from './patients.ts';

const DAN: ClientInfo = { name: 'c1', user: 'dan', role: 'doctor', psClientId: 'ps-dan' };
const NINA: ClientInfo = { name: 'c2', user: 'nina', role: 'nurse', psClientId: 'ps-nina' };
const edit = (client: string, opId: number, at: string, notes: string): IssuedTx => ({
  client,
  at: 0,
  txId: opId,
  kind: 'patient',
  ops: [{ opId, op: 'PATCH', table: 'patients', id: 'p', data: { notes }, old: null, metadata: { edited_at: at } }],
});
const answered = (client: string, opId: number, status: 'applied' | 'merged'): UploadAttempt => ({
  client,
  at: 0,
  txId: opId,
  opIds: [opId],
  status: 200,
  outcomes: [{ op_id: opId, table: 'patients', id: 'p', status }],
  dropped: false,
  completed: true,
});
// Nina's edit is newer but arrives first; Dan's older edit arrives later and loses (merged).
const issued = [edit('c2', 1, '2026-11-01T10:00:00.000Z', 'newer'), edit('c1', 1, '2026-11-01T09:00:00.000Z', 'older')];
const uploads = [answered('c2', 1, 'applied'), answered('c1', 1, 'merged')];
const patient = (notes: string, by: string, client: string) => ({
  id: 'p',
  notes,
  field_versions: JSON.stringify({ notes: { at: '2026-11-01T10:00:00.000Z', by, client, op: 1 } }),
});
const check = (final: ReturnType<typeof patient>) =>
  checkPatients({
    issued,
    uploads,
    rows: [history('patients', 'p', [[5, final]])],
    clients: [DAN, NINA],
  }).violations.map((v) => v.message);

describe('checkPatients', () => {
  it('accepts the newest edit of each field, whatever the arrival order', () => {
    expect(check(patient('newer', 'nina', 'ps-nina'))).toEqual([]);
  });

  it('finds an older edit that won, and a stamp naming the wrong edit', () => {
    expect(check(patient('older', 'dan', 'ps-dan'))[0]).toContain('newest accepted edit');
    expect(check(patient('newer', 'dan', 'ps-dan'))[0]).toContain('field_versions');
  });
});
