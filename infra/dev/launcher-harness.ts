import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { infraPaths } from '../src/paths.ts';

/** For tests: `npm start` and `npm run reset` as a user runs them, as child processes. */
export interface Launched {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

export function launch(script: string, env: Record<string, string>): Launched {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(infraPaths.repoRoot, 'infra/dev', script)], {
    cwd: infraPaths.repoRoot,
    env: { ...process.env, STACK_SERVICES: 'api', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

export async function waitForOutput(launched: Launched, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!launched.output().includes(text)) {
    if (launched.child.exitCode !== null) throw new Error(`exited early:\n${launched.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Process ids whose parent is `pid` and whose command line contains `command` (Linux /proc). */
export function childPids(pid: number, command: string): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(command)) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}
