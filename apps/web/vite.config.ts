import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { loadWebEnv } from './server/env.ts';

/**
 * Writes precache.json: every file of the build, which the service worker (src/offline/
 * service-worker.ts) caches so that the app also starts, or reloads, without a network.
 */
function precacheList(): Plugin {
  let outDir = '';
  const list = async (dir: string, prefix = ''): Promise<string[]> => {
    const files: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const relative = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) files.push(...(await list(path.join(dir, entry.name), relative)));
      else if (!['/sw.js', '/precache.json'].includes(relative)) files.push(relative);
    }
    return files;
  };
  return {
    name: 'cr:precache-list',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await list(outDir)).map((file) => (file === '/index.html' ? '/' : file)).sort();
      await writeFile(path.join(outDir, 'precache.json'), `${JSON.stringify(files, null, 2)}\n`);
    },
  };
}

export default defineConfig(() => {
  const env = loadWebEnv();
  const sync = { target: env.syncUrl, changeOrigin: true };
  return {
    plugins: [react(), precacheList()],
    // The test hook (window.__cr) exists in test builds only: a constant the bundler folds away.
    define: { __CR_TEST_HOOK__: JSON.stringify(env.testHook) },
    // @powersync/web ships its SQLite as WebAssembly workers; let Vite bundle them as ES workers.
    optimizeDeps: { exclude: ['@powersync/web'] },
    worker: { format: 'es' as const },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 1500,
      rolldownOptions: {
        input: { main: path.resolve(import.meta.dirname, 'index.html'), sw: 'src/offline/service-worker.ts' },
        output: {
          entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
    server: {
      port: env.port,
      host: env.host,
      proxy: { '/api': { target: env.apiUrl, changeOrigin: true }, '/sync': sync, '/write-checkpoint2.json': sync },
    },
  };
});
