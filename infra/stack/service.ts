import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** One app of the stack as a child process: `node --import tsx <entry>`. */
export interface ServiceSpec {
  name: string;
  /** Entry file (TypeScript, run through tsx). */
  entry: string;
  env: Record<string, string>;
  cwd: string;
}

/**
 * Where a service's output goes: prefixed lines on this process's stdout (`npm start`), a log
 * file (the end-to-end stack, benchmarks, fault runs), or nowhere. The last lines are kept in
 * every case, to say why a service died.
 */
export type ServiceOutput = { kind: 'terminal' } | { kind: 'file'; path: string } | { kind: 'quiet' };

/** How a child process ended. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningService {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when it has exited (and its output has been read to the end). */
  readonly exited: Promise<ServiceExit>;
  readonly running: boolean;
  /** Its most recent log lines (for saying why it died). */
  lastLines(): string[];
  /** Asks it to stop (SIGTERM; a paused process is resumed first), and kills it after `graceMs`. */
  stop(graceMs?: number): Promise<ServiceExit>;
  /** Sends `signal` and waits for the exit (SIGKILL: it just dies). */
  kill(signal: NodeJS.Signals): Promise<ServiceExit>;
  pause(): void;
  resume(): void;
  /** Resident memory, bytes (Linux). */
  rss(): Promise<number>;
}

const COLORS: Record<string, string> = { api: '36', sync: '35', web: '32', postgres: '33' };
/** Log lines kept per service. */
const KEPT_LINES = 15;

/** One prefixed line per line of `text`, on stdout: how `npm start` shows what each part says. */
export function log(name: string, text: string): void {
  const color = COLORS[name] ?? '37';
  const tag = process.stdout.isTTY ? `\x1b[${color}m[${name}]\x1b[0m` : `[${name}]`;
  for (const line of text.split('\n')) process.stdout.write(`${tag} ${line}\n`);
}

/** Starts a service as a child process; its output goes where `output` says. */
export function startService(spec: ServiceSpec, output: ServiceOutput): RunningService {
  if (!existsSync(spec.entry)) throw new Error(`${spec.name}: ${spec.entry} does not exist`);
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const file: WriteStream | null = output.kind === 'file' ? createWriteStream(output.path, { flags: 'w' }) : null;
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
          if (output.kind === 'terminal') log(spec.name, line);
          file?.write(`${raw}\n`);
        });
        lines.once('close', resolve);
      }),
  );
  // Resolved once its output is read to the end too, so the last lines are the real last lines
  // (at most a second later: a grandchild that inherited the pipe may keep it open).
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('exit', (code, signal) => {
      const grace = new Promise((done) => setTimeout(done, 1000).unref());
      void Promise.race([Promise.all(drained), grace]).then(() => {
        file?.end();
        resolve({ code, signal });
      });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const service: RunningService = {
    name: spec.name,
    child,
    pid: child.pid ?? 0,
    exited,
    get running() {
      return running();
    },
    lastLines: () => [...recent],
    async stop(graceMs = 10_000) {
      if (!running()) return exited;
      child.kill('SIGCONT'); // a paused process cannot handle SIGTERM
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
    async kill(signal) {
      if (running()) {
        child.kill('SIGCONT');
        child.kill(signal);
      }
      return exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async rss() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
  };
  return service;
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
