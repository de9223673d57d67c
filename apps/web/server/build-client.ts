import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Newest modification time (ms) of any file under `target` (a file or a folder). */
async function newestMtime(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (info === null) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

export interface ClientPaths {
  /** apps/web */
  webRoot: string;
  /** apps/web/dist */
  distDir: string;
  /** Sources that end up in the bundle besides apps/web's own (the shared packages). */
  sharedSources: string[];
}

/** Why dist/ must be rebuilt, or null when it is up to date. */
export async function staleReason(paths: ClientPaths): Promise<string | null> {
  const builtAt = await newestMtime(path.join(paths.distDir, 'index.html'));
  if (builtAt === 0) return 'no build yet';
  const inputs = [
    path.join(paths.webRoot, 'src'),
    path.join(paths.webRoot, 'public'),
    path.join(paths.webRoot, 'index.html'),
    path.join(paths.webRoot, 'vite.config.ts'),
    path.join(paths.webRoot, 'package.json'),
    ...paths.sharedSources,
  ];
  for (const input of inputs) {
    if ((await newestMtime(input)) > builtAt)
      return `${path.relative(paths.webRoot, input)} changed since the last build`;
  }
  return null;
}

/**
 * Builds the client with Vite's JS API into a fresh folder and swaps it in, so that a server
 * still serving the old dist/ never sees half a build.
 */
export async function buildClient(paths: ClientPaths, log: (line: string) => void): Promise<void> {
  const { build } = await import('vite');
  const started = Date.now();
  const next = `${paths.distDir}-${process.pid}`;
  const old = `${paths.distDir}-old-${process.pid}`;
  log('building the client with Vite…');
  await build({
    root: paths.webRoot,
    configFile: path.join(paths.webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: next, emptyOutDir: true },
  });
  if (existsSync(paths.distDir)) await rename(paths.distDir, old);
  await rename(next, paths.distDir);
  await rm(old, { recursive: true, force: true });
  log(`built the client in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
