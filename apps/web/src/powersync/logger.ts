import { LogLevels, type LogRecord, type PowerSyncLogger } from '@powersync/web';
import { createStore } from '../ui/store.ts';

/** The SDK's recent warnings and errors, shown in the sync status panel and to tests. */
export const sdkLog = createStore<{ level: 'warn' | 'error'; message: string; at: string }[]>([]);

/** Network failures are expected in an offline-first app: the status panel shows them instead. */
const EXPECTED = /fetch|network|connection|offline|abort|upload api|credentials|sync stream|ERR_/i;

function text(record: LogRecord): string {
  const error = record.error instanceof Error ? record.error.message : record.error ? String(record.error) : '';
  return error ? `${record.message}: ${error}` : record.message;
}

/**
 * The PowerSync logger: keeps warnings and errors (the last 50) for the status panel. Unexpected
 * errors also go to the console, where the end-to-end scenarios watch for them; connection
 * failures while offline are part of normal operation and stay out of it.
 */
export const powerSyncLogger: PowerSyncLogger = {
  log(record) {
    if (record.level < LogLevels.warn) return;
    const message = text(record);
    const level = record.level >= LogLevels.error ? 'error' : 'warn';
    sdkLog.set((log) => [...log.slice(-49), { level, message, at: new Date().toISOString() }]);
    if (level === 'error' && !EXPECTED.test(message)) console.error(`[powersync] ${message}`);
  },
};
