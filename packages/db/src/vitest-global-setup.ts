import { startTestCluster, type TestCluster } from './testing.ts';

export interface ProvidedCluster {
  serverUrl: string;
  templateDatabase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgCluster: ProvidedCluster;
  }
}

interface ProvideTarget {
  provide(key: 'pgCluster', value: ProvidedCluster): void;
}

/**
 * Vitest global setup shared by the packages with `*.pg.test.ts` files: one Postgres server per
 * run, a migrated template, and `inject('pgCluster')` for test files to clone it.
 */
export function createGlobalSetup(options: { migrationsDir: string | readonly string[] }) {
  return async function setup(project: ProvideTarget): Promise<() => Promise<void>> {
    const cluster: TestCluster = await startTestCluster(options);
    project.provide('pgCluster', { serverUrl: cluster.serverUrl, templateDatabase: cluster.templateDatabase });
    return () => cluster.stop();
  };
}
