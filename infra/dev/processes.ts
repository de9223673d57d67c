import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServiceSpec {
  name: string;
  /** Entry file (TypeScript, run through tsx). */
  entry: string;
  env: Record<string, string>;
}

/** How a child process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningService {
  name: string;
  child: ChildProcess;
  exited: Promise<ServiceExit>;
  /** Its most recent log lines (for saying why it died). */
  lastLines(): string[];
}

const COLORS: Record<string, string> = { api: '36', sync: '35', web: '32', postgres: '33' };
/** Log lines kept per service. */
const KEPT_LINES = 15;

/** One prefixed line per line of `text`. */
export function log(name: string, text: string): void {
  const color = COLORS[name] ?? '37';
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
  for (const line of text.split('\n')) process.stdout.write(`${tag} ${line}\n`);
}

/** Starts a service as a child process, prefixing each of its log lines with its name. */
export function startService(spec: ServiceSpec, cwd: string): RunningService {
  if (!existsSync(spec.entry)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd,
    env: { ...process.env, ...spec.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent: string[] = [];
  const streams = [child.stdout, child.stderr].filter((stream) => stream !== null);
  const drained = streams.map(
    (stream) =>
      new Promise<void>((resolve) => {
        const lines = createInterface({ input: stream });
        lines.on('line', (raw) => {
          const line = pretty(raw);
          recent.push(line);
          if (recent.length > KEPT_LINES) recent.shift();
          log(spec.name, line);
        });
        lines.once('close', resolve);
      }),
  );
  // Resolved once its output is read to the end too, so the last lines are the real last lines
  // (at most a second later: a grandchild that inherited the pipe may keep it open).
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => {
      const grace = new Promise((done) => setTimeout(done, 1000).unref());
      void Promise.race([Promise.all(drained), grace]).then(() => resolve({ code, signal }));
    });
  });
  return { name: spec.name, child, exited, lastLines: () => [...recent] };
}

/** "exit code 1", "killed by SIGKILL". */
export function describeExit(exit: ServiceExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

/** What to say when a service ended on its own: who, how, and the last thing it said. */
export function deathReport(service: RunningService, exit: ServiceExit, when: string): string {
  const lines = service.lastLines();
  const tail = lines.length ? [`Its last log lines:`, ...lines.map((line) => `  | ${line}`)] : ['It logged nothing.'];
  return [`${service.name} ${when} (${describeExit(exit)}).`, ...tail].join('\n');
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

/** Asks a service to stop (SIGTERM), and kills it if it has not after `graceMs`. */
export async function stopService(service: RunningService, graceMs = 10_000): Promise<void> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  await service.exited;
  clearTimeout(timer);
}
