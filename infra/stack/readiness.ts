import { deathReport, log, type RunningService, type ServiceExit } from './service.ts';

/** What a service says about being ready. */
export interface Readiness {
  ready: boolean;
  /** Why it will not be ready until someone fixes something: the launcher stops and says it. */
  blocked?: string;
  /** Something long and legitimate under way (copying a large database): the deadline waits. */
  busy?: string;
  /** What it waits for, for the message when time runs out. */
  waiting?: string;
}

export type ReadinessProbe = () => Promise<Readiness>;

/** A start-up failure whose message is the whole story (no stack trace needed). */
export class StartError extends Error {}

async function get(url: string): Promise<Response | null> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(2000) });
  } catch {
    return null;
  }
}

/** Ready when the URL answers 2xx. */
export function httpProbe(url: string): ReadinessProbe {
  return async () => {
    const response = await get(url);
    await response?.body?.cancel();
    if (response?.ok) return { ready: true };
    return { ready: false, waiting: response ? `${url} answers ${response.status}` : `${url} does not answer` };
  };
}

interface SyncReadiness {
  phase?: string;
  problems?: { code: string; message: string; fix: string }[];
  last_error?: string | null;
}

/**
 * The sync service's readiness (replication streams and a checkpoint is served). A 503 that names
 * problems in Postgres blocks the start, with their fixes; an initial copy keeps the deadline off.
 */
export function syncProbe(syncUrl: string, postgres: string): ReadinessProbe {
  return async () => {
    const response = await get(`${syncUrl}/probes/readiness`);
    if (!response) return { ready: false, waiting: `${syncUrl} does not answer` };
    if (response.ok) {
      await response.body?.cancel();
      return { ready: true };
    }
    const body = (await response.json().catch(() => ({}))) as SyncReadiness;
    if (body.problems?.length) {
      const lines = body.problems.flatMap((p) => [`  - ${p.message}`, `    Fix: ${p.fix}`]);
      return { ready: false, blocked: [`sync cannot replicate from Postgres (${postgres}):`, ...lines].join('\n') };
    }
    if (body.phase === 'snapshot') return { ready: false, busy: 'copying the tables (initial snapshot)' };
    const waiting = body.last_error ? `replication failed: ${body.last_error}` : `replication is ${body.phase}`;
    return { ready: false, waiting };
  };
}

/**
 * Polls until the service is ready. Stops early, saying why, when it exits or reports that it is
 * blocked; gives up after `timeoutMs` spent waiting (time it reports being busy does not count).
 */
export async function waitUntilReady(
  service: RunningService,
  probe: ReadinessProbe,
  timeoutMs = 60_000,
  say: (line: string) => void = (line) => log('stack', line),
) {
  const ended: { exit: ServiceExit | null } = { exit: null };
  void service.exited.then((exit) => {
    ended.exit = exit;
  });
  let waited = 0;
  let last = Date.now();
  let said = '';
  let waiting = '';
  for (;;) {
    if (ended.exit) throw new StartError(deathReport(service, ended.exit, 'exited before it was ready'));
    const state = await probe();
    if (state.ready) return;
    if (state.blocked) throw new StartError(state.blocked);
    const now = Date.now();
    if (state.busy) {
      if (state.busy !== said) say(`${service.name} is ${state.busy}…`);
      said = state.busy;
    } else {
      waited += now - last;
    }
    last = now;
    waiting = state.waiting ?? waiting;
    if (waited > timeoutMs) {
      throw new StartError(
        `${service.name} was not ready within ${timeoutMs / 1000} s${waiting ? ` (${waiting})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
