import { describe, expect, it } from 'vitest';
import { upstreamFor } from './routes.ts';

describe('upstreamFor', () => {
  it('sends the API paths to the API', () => {
    expect(upstreamFor('/api/data')).toBe('api');
    expect(upstreamFor('/api/auth/token')).toBe('api');
    expect(upstreamFor('/api')).toBe('api');
  });

  it('sends the PowerSync paths to the sync service', () => {
    expect(upstreamFor('/sync/stream')).toBe('sync');
    expect(upstreamFor('/sync/checkpoint-request')).toBe('sync');
    expect(upstreamFor('/write-checkpoint2.json')).toBe('sync');
  });

  it('serves everything else from the built client', () => {
    expect(upstreamFor('/')).toBe('static');
    expect(upstreamFor('/apiary')).toBe('static');
    expect(upstreamFor('/assets/index-abc.js')).toBe('static');
    expect(upstreamFor('/synchronise')).toBe('static');
  });
});
