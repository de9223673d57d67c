import { FieldChangeWorker } from '@cr/upload-engine';
import fp from 'fastify-plugin';
import { resolveDemoAuthors } from './authors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    fieldChanges: FieldChangeWorker;
  }
}

/** Runs the engine's field-change worker with the app: started when the app is ready, stopped on close. */
export default fp(
  async (fastify, options: { sweepMs: number; autoStart: boolean; clock?: () => Date }) => {
    const worker = new FieldChangeWorker(fastify.db, fastify.log, {
      engine: fastify.uploads.engine,
      resolveAuthors: resolveDemoAuthors,
      sweepMs: options.sweepMs,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    fastify.decorate('fieldChanges', worker);
    if (options.autoStart) fastify.addHook('onReady', () => worker.start());
    fastify.addHook('onClose', () => worker.stop());
  },
  { name: 'field-changes', dependencies: ['db', 'uploads'] },
);
