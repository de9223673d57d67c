import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { infraPaths } from './paths.ts';

/**
 * Every workspace declares the workspaces it imports, so turbo builds, checks and tests them in
 * the right order and a reader of package.json sees the real dependencies. Which way they may
 * point (apps → packages, never back; nothing generic → the demo) is checked by
 * packages/demo-domain/src/demo-stays-out.test.ts.
 */

const root = infraPaths.repoRoot;
const SKIP = new Set(['node_modules', 'dist', 'dist-test', 'test-results', '.stack', '.faults', '.data']);

function workspaces(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  return manifest.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => path.join(pattern.slice(0, -2), entry.name))
      : [pattern],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

/** The workspace packages (`@cr/…`) a file imports, statically or dynamically. */
function imported(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](@cr\/[a-z0-9-]+)/gm);
  return [...found].map((match) => match[1] ?? '');
}

describe('workspace dependencies', () => {
  const all = workspaces();

  it('finds every workspace', () => {
    expect(all).toEqual(expect.arrayContaining(['apps/api', 'apps/web', 'packages/upload-engine', 'infra', 'e2e']));
  });

  it('are declared in package.json wherever they are imported', () => {
    const undeclared = all.flatMap((workspace) => {
      const manifest = JSON.parse(readFileSync(path.join(root, workspace, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      const own = manifest.name as string;
      const declared = new Set(
        ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((key) =>
          Object.keys((manifest[key] as Record<string, string> | undefined) ?? {}),
        ),
      );
      const missing = new Set(
        sources(path.join(root, workspace))
          .flatMap(imported)
          .filter((name) => name !== own && !declared.has(name)),
      );
      return [...missing].map((name) => `${workspace} imports ${name} without declaring it`);
    });
    expect(undeclared).toEqual([]);
  });
});
