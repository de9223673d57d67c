import fp from 'fastify-plugin';
import { FieldChangeWorker } from '../../worker/field-change-worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    fieldChanges: FieldChangeWorker;
  }
}

/** Runs the field-change worker with the app: started when the app is ready, stopped on close. */
export default fp(
  async (fastify, options: { sweepMs: number; autoStart: boolean; clock?: () => Date }) => {
    const worker = new FieldChangeWorker(fastify.db, fastify.log, { sweepMs: options.sweepMs, clock: options.clock });
    fastify.decorate('fieldChanges', worker);
    if (options.autoStart) fastify.addHook('onReady', () => worker.start());
    fastify.addHook('onClose', () => worker.stop());
  },
  { name: 'field-changes', dependencies: ['db'] },
);
