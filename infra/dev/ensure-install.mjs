// Runs before `npm start` and `npm test` (plain JavaScript: it runs before dependencies exist).
// Installs the workspace's dependencies as package-lock.json pins them when they are missing or out
// of date, so that the two README commands work on a fresh clone. The lock file lists every platform's
// optional binaries (as `npm install` writes it), so installing leaves it unchanged; light-my-request
// (fastify's inject) is pinned by an override in package.json to a release whose dependencies run
// on Node 20.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lock = readFileSync(path.join(root, 'package-lock.json'));
const wanted = createHash('sha256').update(lock).update(process.version).digest('hex');
const stamp = path.join(root, 'node_modules', '.cr-install-stamp');

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) process.exit(0);

console.log('Installing dependencies (the first time takes a few minutes: better-sqlite3 compiles)…');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('npm install failed: see the output above.');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${wanted}\n`);
