import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/** The sync service's entry point in a process of its own, as the launcher and a deploy run it. */
export interface ServiceProcess {
  readonly pid: number;
  /** Everything it wrote to stdout and stderr. */
  readonly output: string[];
  /** Resolves when it has exited: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnSyncService(env: Record<string, string>): ServiceProcess {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.dirname(entry),
    env: { PATH: process.env.PATH ?? '', SYNC_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    pid: child.pid ?? 0,
    output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits until the service answers its readiness probe (it serves a checkpoint); fails if it exits. */
export async function waitUntilReady(service: ServiceProcess, url: string, timeoutMs = 60_000): Promise<void> {
  let exit: string | null = null;
  void service.exited.then(({ code, signal }) => {
    exit = signal ?? String(code);
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit !== null) throw new Error(`the sync service exited (${exit}):\n${service.output.join('')}`);
    const response = await fetch(`${url}/probes/readiness`).catch(() => null);
    if (response?.ok) return;
    if (Date.now() > deadline) {
      throw new Error(`the sync service at ${url} was not ready within ${timeoutMs} ms:\n${service.output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
