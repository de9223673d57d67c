import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack.ts';
import { exportStackEnv } from './stack-env.ts';

/**
 * Playwright global setup: the whole stack on free ports with a throw-away database. The
 * returned function is Playwright's global teardown: it stops every process and removes the
 * database. Service logs stay in e2e/.stack/run/ for when a scenario fails.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const logDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.stack', 'run');
  const started = Date.now();
  const stack = await startStack({
    logDir,
    onProgress: (line) => process.stdout.write(`[stack] ${line}\n`),
  });
  process.stdout.write(`[stack] up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${logDir}\n`);
  exportStackEnv(stack);
  return async () => {
    await stack.stop();
  };
}
