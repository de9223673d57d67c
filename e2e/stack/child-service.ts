import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** One app of the stack, run as `node --import tsx <entry>` with its output in a log file. */
export interface ChildService {
  readonly name: string;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<string>;
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): Promise<string>;
}

export interface ChildServiceSpec {
  name: string;
  entry: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}

export function startChildService(spec: ChildServiceSpec): ChildService {
  const log: WriteStream = createWriteStream(spec.logFile, { flags: 'w' });
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      log.end();
      resolve(signal ?? String(code));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name: spec.name,
    logFile: spec.logFile,
    child,
    exited,
    async stop(graceMs = 8000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async tail(lines = 30) {
      const text = await readFile(spec.logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
}

/** Polls `url` until it answers 2xx; fails early when the service exits. */
export async function waitForHttp(service: ChildService, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | null = null;
  void service.exited.then((code) => {
    exit = code;
  });
  while (Date.now() < deadline) {
    if (exit !== null) {
      throw new Error(`${service.name} exited (${exit}) before it was ready:\n${await service.tail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} was not ready at ${url} within ${timeoutMs / 1000} s:\n${await service.tail()}`);
}
