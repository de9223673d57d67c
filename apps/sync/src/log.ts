import type { LogLevelName } from './env.ts';

/** One readable line per event: `2026-11-22T10:00:00.000Z INFO  replication: slot created`. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
  /** The same logger with a scope prefix ("replication", "sync"). */
  child(scope: string): Logger;
}

const RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  level?: LogLevelName;
  /** Receives each formatted line (default: stdout, or stderr for warnings and errors). */
  write?: (line: string, level: LogLevelName) => void;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function defaultWrite(line: string, level: LogLevelName): void {
  if (RANK[level] >= RANK.warn) process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

export function createLogger(options: LoggerOptions = {}, scope = ''): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? defaultWrite;
  const emit = (level: LogLevelName, message: string, error?: unknown) => {
    if (RANK[level] < min) return;
    const prefix = scope ? `${scope}: ` : '';
    const suffix = error === undefined ? '' : ` (${describe(error)})`;
    // A log line is one line: newlines inside messages would split an event.
    const text = `${prefix}${message}${suffix}`.replace(/\s*\n\s*/g, ' | ');
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text}`, level);
  };
  return {
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message, error) => emit('warn', message, error),
    error: (message, error) => emit('error', message, error),
    child: (child) => createLogger(options, scope ? `${scope}.${child}` : child),
  };
}

/** Drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => {} });
