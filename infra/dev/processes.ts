import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServiceSpec {
  name: string;
  /** Entry file (TypeScript, run through tsx). */
  entry: string;
  env: Record<string, string>;
  /** URL that answers 2xx once the service is up. */
  readyUrl: string;
}

export interface RunningService {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const COLORS: Record<string, string> = { api: '36', sync: '35', web: '32', postgres: '33' };

export function log(name: string, line: string): void {
  const color = COLORS[name] ?? '37';
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
  process.stdout.write(`${tag} ${line}\n`);
}

/** Starts a service as a child process, prefixing each of its log lines with its name. */
export function startService(spec: ServiceSpec, cwd: string): RunningService {
  if (!existsSync(spec.entry)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd,
    env: { ...process.env, ...spec.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => log(spec.name, pretty(line)));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name: spec.name, child, exited };
}

/** Pino JSON lines become "level message"; other lines pass through. */
function pretty(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
    const level = entry.level && entry.level >= 50 ? 'ERROR ' : entry.level && entry.level >= 40 ? 'WARN ' : '';
    return `${level}${entry.msg ?? line}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
  } catch {
    return line;
  }
}

/** Polls a URL until it answers 2xx (or the service exits, or time runs out). */
export async function waitUntilReady(service: RunningService, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.name} exited before it was ready (see its log above)`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} did not become ready at ${url} within ${timeoutMs / 1000}s`);
}

/** Asks a service to stop (SIGTERM), and kills it if it has not after `graceMs`. */
export async function stopService(service: RunningService, graceMs = 10_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}
