import type pg from 'pg';
import type { Logger } from '../log.ts';
import { checkSource, type SourceCheckOptions } from './source-check.ts';
import { problemFromError, type SourceIdentity, type SourceProblem, SourceSetupError } from './source-problems.ts';

/**
 * Whether the source database lets replication run, as the replicator learns it: checked before
 * each attempt, and read from the errors of attempts that failed anyway. The problems stay
 * visible (readiness, /health) until an attempt passes the checks; each is logged once, with its
 * fix, however often replication retries.
 */
export class SourceSetup {
  private current: readonly SourceProblem[] = [];
  private who: SourceIdentity | null = null;
  private reported = new Set<string>();
  private streamed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: SourceCheckOptions,
    private readonly logger: Logger,
  ) {}

  /** What keeps replication from running now (empty once a check passed). */
  get problems(): readonly SourceProblem[] {
    return this.current;
  }

  /** Replication has streamed since the service started, and nothing known stops it now. */
  get ready(): boolean {
    return this.streamed && this.current.length === 0;
  }

  /** Before an attempt: throws a {@link SourceSetupError} when Postgres is not set up for it. */
  async assertReady(): Promise<void> {
    const check = await checkSource(this.pool, this.options);
    this.who = check.who;
    this.current = check.problems;
    if (check.problems.length > 0) throw new SourceSetupError(check.problems);
  }

  /**
   * After a failed attempt: whether it failed for a reason an operator must fix (then recorded and
   * logged once) rather than one a retry may cure.
   */
  blocked(error: unknown): boolean {
    const found =
      error instanceof SourceSetupError
        ? error.problems
        : [problemFromError(error, this.who)].filter((p) => p !== null);
    if (found.length === 0) return false;
    this.current = found;
    for (const problem of found) {
      const key = `${problem.code} ${problem.message}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.logger.error(`cannot replicate: ${problem.message} Fix: ${problem.fix}`);
    }
    return true;
  }

  /** Replication streams: whatever was reported is fixed. */
  running(): void {
    this.streamed = true;
    this.current = [];
    if (this.reported.size === 0) return;
    this.reported.clear();
    this.logger.info('Postgres is set up for replication now');
  }
}
