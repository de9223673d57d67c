import { describe, expect, it } from 'vitest';
import { syncState, uploadProblem } from './sync-state.ts';

const base = { browserOnline: true, workOffline: false, connected: true, connecting: false, downloadFailed: false };

describe('syncState', () => {
  it('tells no network, the switch and an unreachable server apart', () => {
    expect(syncState(base)).toBe('online');
    expect(syncState({ ...base, workOffline: true, connected: false })).toBe('working-offline');
    expect(syncState({ ...base, browserOnline: false, connected: false })).toBe('offline');
    expect(syncState({ ...base, connected: false, connecting: true, downloadFailed: true })).toBe('unreachable');
    expect(syncState({ ...base, connected: false, connecting: false })).toBe('unreachable');
    expect(syncState({ ...base, connected: false, connecting: true })).toBe('connecting');
  });

  it('puts the switch before the network: it is the user’s own choice', () => {
    expect(syncState({ ...base, workOffline: true, browserOnline: false, connected: false })).toBe('working-offline');
  });
});

describe('uploadProblem', () => {
  it('shows a refused upload, not the network being down (the state says that)', () => {
    const state = 'online' as const;
    expect(
      uploadProblem({ pending: 1, state, lastError: { kind: 'retry', message: 'Down.' }, sdkUploadError: null }),
    ).toBe('Down.');
    expect(
      uploadProblem({ pending: 1, state, lastError: { kind: 'network', message: 'x' }, sdkUploadError: null }),
    ).toBeNull();
    expect(
      uploadProblem({ pending: 0, state, lastError: { kind: 'retry', message: 'Down.' }, sdkUploadError: null }),
    ).toBeNull();
    // Another tab's connector did the upload: PowerSync's shared status still says so.
    expect(uploadProblem({ pending: 2, state, lastError: null, sdkUploadError: 'Try later.' })).toBe('Try later.');
  });
});
