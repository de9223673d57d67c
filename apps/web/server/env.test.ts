import { describe, expect, it } from 'vitest';
import { loadWebEnv } from './env.ts';

describe('loadWebEnv', () => {
  it('builds without the test hook unless WEB_TEST_HOOK=1 asks for a test build', () => {
    expect(loadWebEnv({}).testHook).toBe(false);
    expect(loadWebEnv({ WEB_TEST_HOOK: '1' }).testHook).toBe(true);
    expect(() => loadWebEnv({ WEB_TEST_HOOK: 'yes' })).toThrow(/WEB_TEST_HOOK must be 0 or 1/);
  });
});
