import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OUTCOME_TABLES, REVISION_COLUMNS } from '@cr/strategies';
import { describe, expect, it } from 'vitest';
import { DemoCode } from './codes.ts';
import { ROLES } from './roles.ts';
import { schema } from './tables.ts';

/**
 * The engine's packages know nothing of this demo: no import of it or of an app, and none of its
 * words in their code (its tables, roles, codes and column names). Their docs may say "in the
 * demo"; their code, SQL and tests may not.
 */

const packagesDir = path.resolve(import.meta.dirname, '../..');
const ENGINE = ['schema', 'strategies', 'connector-kit', 'upload-engine', 'db'];
/** What no engine package may import: the demo and the apps (apps → packages, never back). */
const FORBIDDEN = /^@cr\/(demo-domain|api|web|sync|e2e|infra|notes-app)(\/|$)/;

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'docs' ? [] : codeFiles(full);
    return /\.(ts|tsx|sql)$/.test(entry.name) ? [full] : [];
  });
}

/** Every module a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm);
  return [...found].map((match) => match[1] ?? '');
}

/** The demo's own words: its tables and their columns (not the engine's), roles and codes. */
function demoWords(): string[] {
  const engineTables = new Set<string>(Object.values(OUTCOME_TABLES));
  const all = schema.names.map((name) => schema.table(name));
  const engineColumns = new Set([
    ...all.filter((table) => engineTables.has(table.name)).flatMap((table) => Object.keys(table.columns)),
    ...REVISION_COLUMNS, // a revisions table's own columns come from the engine (revisionsTable)
  ]);
  // Words any app uses, the engine's own defaults among them (the who/when stamps, `version`).
  const ordinary = new Set([
    ...['users', 'name', 'role', 'title', 'description', 'body', 'status', 'priority', 'notes', 'version'],
    ...['created_by', 'created_at', 'updated_by', 'updated_at'],
  ]);
  const tables = all.filter((table) => !engineTables.has(table.name));
  const words = [
    ...tables.map((table) => table.name),
    ...tables.flatMap((table) => Object.keys(table.columns)).filter((column) => !engineColumns.has(column)),
    ...ROLES,
    ...Object.keys(DemoCode),
    ...Object.values(DemoCode),
    'task',
    'patient',
  ];
  return [...new Set(words)].filter((word) => !ordinary.has(word));
}

describe('the engine packages stay generic', () => {
  const files = ENGINE.flatMap((name) => codeFiles(path.join(packagesDir, name)));

  it('finds the engine packages’ code', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('import neither the demo nor an app, and never reach outside their own folder', () => {
    const wrong = files.flatMap((file) => {
      const own = path.join(packagesDir, path.relative(packagesDir, file).split(path.sep)[0] ?? '');
      return specifiers(readFileSync(file, 'utf8'))
        .filter((spec) =>
          spec.startsWith('.')
            ? !path.resolve(path.dirname(file), spec).startsWith(own + path.sep)
            : FORBIDDEN.test(spec),
        )
        .map((spec) => `${path.relative(packagesDir, file)} imports ${spec}`);
    });
    expect(wrong).toEqual([]);
  });

  it('declare no dependency on the demo or an app', () => {
    const wrong = ENGINE.flatMap((name) => {
      const manifest = JSON.parse(readFileSync(path.join(packagesDir, name, 'package.json'), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const names = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((key) =>
        Object.keys(manifest[key] ?? {}),
      );
      return names.filter((dependency) => FORBIDDEN.test(dependency)).map((dependency) => `${name} → ${dependency}`);
    });
    expect(wrong).toEqual([]);
  });

  it('use none of the demo’s words in code, SQL or tests', () => {
    const words = demoWords();
    expect(words).toEqual(expect.arrayContaining(['tasks', 'orders', 'reviewer', 'modified_by', 'ORDER_LOCKED']));
    const pattern = new RegExp(`\\b(${words.join('|')})\\b`, 'i');
    const hits = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => {
          const word = pattern.exec(line)?.[1];
          return word ? [`${path.relative(packagesDir, file)}:${index + 1} "${word}": ${line.trim()}`] : [];
        }),
    );
    expect(hits).toEqual([]);
  });
});
