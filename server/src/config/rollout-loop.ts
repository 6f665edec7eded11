// Runs the rollout evaluator every interval. With several replicas on PostgreSQL only one
// evaluates at a time: each pass holds a transaction-scoped advisory lock, and a replica that
// does not get it skips the pass (another one is evaluating). Finishing a rollout is also
// guarded by the document's row lock and the `baking` status, so even an overlap could not end
// a rollout twice. SQLite serves a single process: no lock needed.
// A pass recounts each canary's window, which grows with traffic and time; passes are spaced so
// that evaluating takes at most a tenth of the time (on SQLite the queries run on the server's
// own thread), at the price of a later verdict on a very busy service.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { RolloutService } from './rollout-service.js';

/** Arbitrary constant naming the rollout evaluator's advisory lock. */
export const ROLLOUT_LOCK_KEY = 70_001_005;

/** Evaluation time allowed per unit of wall time. */
const MAX_BUSY_SHARE = 0.1;

/** When the pass after one that ended at `endedAt` and took `tookMs` may start (the timer's next tick at the earliest). */
export function nextPassAt(endedAt: number, tookMs: number): number {
  return endedAt + tookMs * (1 / MAX_BUSY_SHARE - 1);
}

export class RolloutLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #notBefore = 0;

  constructor(
    private readonly store: Store,
    private readonly rollouts: RolloutService,
    private readonly logger: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#running || Date.now() < this.#notBefore) return;
      const began = Date.now();
      this.#running = this.pass()
        .catch((error: unknown) => this.logger.error({ err: error }, 'rollout evaluation failed; retrying next pass'))
        .finally(() => {
          const ended = Date.now();
          this.#notBefore = nextPassAt(ended, ended - began);
          this.#running = undefined;
        });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One evaluation pass (exported for tests through the loop). */
  async pass(): Promise<void> {
    if (this.store.dialect !== 'postgres') {
      await this.rollouts.evaluateAll();
      return;
    }
    await this.store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_xact_lock(${ROLLOUT_LOCK_KEY}) as locked`.execute(trx);
      if (!rows[0]?.locked) return;
      await this.rollouts.evaluateAll();
    });
  }
}
