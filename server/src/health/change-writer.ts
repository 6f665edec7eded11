// Status transitions, removals and flapping changes decided by this replica, written as they
// happen but batched: while one transaction is being written, new changes queue up and go in
// the next. Under a burst (a target down takes 5,000 instances critical at once) this turns
// thousands of transactions into a handful.
import type { Logger } from 'pino';
import type { InstanceStore, StatusChange } from '../registry/instance-store.js';

const BATCH = 1000;
/** Changes held while the store is unreachable; beyond it the oldest are dropped (and logged). */
const MAX_QUEUED = 100_000;
const RETRY_MS = 1000;

export class ChangeWriter {
  private queue: StatusChange[] = [];
  private running: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly instances: InstanceStore,
    private readonly logger: Logger,
  ) {}

  push(change: StatusChange): void {
    this.queue.push(change);
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUED);
      this.logger.error({ dropped: dropped.length }, 'status changes dropped: the store has not accepted writes');
    }
    if (!this.running && !this.retryTimer) this.kick();
  }

  /** Writes everything queued now (shutdown). */
  async flush(): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    if (this.running) await this.running;
    if (this.queue.length > 0) {
      this.kick();
      await this.running;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private kick(): void {
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, BATCH);
      try {
        await this.instances.applyChanges(batch);
        this.queue.splice(0, batch.length);
      } catch (error) {
        this.logger.error({ err: error, queued: this.queue.length }, 'writing status changes failed; retrying');
        if (!this.stopped) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            if (!this.running) this.kick();
          }, RETRY_MS);
          this.retryTimer.unref();
        }
        return;
      }
    }
  }
}
