import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from './stack.ts';

/**
 * Runs the end-to-end stack by hand, on free ports and a throw-away database, until Ctrl-C:
 *   npx tsx e2e/stack/cli.ts [--web-port 5180]
 * Useful to try the partition proxy (partition/cli.ts) or take screenshots without touching
 * the state of `npm start`.
 */
const args = process.argv.slice(2);
const webPortIndex = args.indexOf('--web-port');
const webPort = webPortIndex >= 0 ? Number(args[webPortIndex + 1]) : undefined;
const logDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.stack', 'manual');

const stack = await startStack({
  logDir,
  onProgress: (line) => process.stdout.write(`[stack] ${line}\n`),
  ...(webPort ? { webPort } : {}),
});
process.stdout.write(
  `\nweb      ${stack.webUrl}\napi      ${stack.apiUrl}\nsync     ${stack.syncUrl}\npostgres ${stack.databaseUrl}\nlogs     ${logDir}\n\nCtrl-C stops it.\n`,
);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
