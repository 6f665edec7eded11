// A bounded queue of accepted batches with group commit: every batch submitted while a commit is
// running (or in the same turn of the event loop) goes into the next commit together, so many
// concurrent requests cost one transaction. A submit resolves only after the commit that holds
// its batch has succeeded; that is what lets a 200 mean "durable".
//
// Memory is bounded: batches count against `maxQueuedItems` until their commit ends, and a
// submit that would exceed it is refused at once (the receiver answers 429 with Retry-After).
// One batch larger than the whole bound is still taken when the queue is empty, so a big but
// valid request can always get through eventually.
import { setImmediate as nextTurn } from 'node:timers/promises';

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
}

interface Entry<T> {
  batch: T;
  items: number;
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Records held at most, queued or being committed. */
  maxQueuedItems: number;
  /** Records per commit at most (a single larger batch still commits alone). */
  maxItemsPerCommit: number;
  /**
   * Commits in flight at once. 2 keeps a writer that runs elsewhere (SQLite's writer thread,
   * PostgreSQL) busy: the next group is handed over while the previous one commits. Each batch
   * still resolves only after its own commit; commits may complete in any order.
   */
  maxConcurrentCommits?: number;
}

export class GroupCommitQueue<T> {
  readonly #commit: (batches: T[]) => Promise<void>;
  readonly #options: GroupCommitOptions;
  #waiting: Entry<T>[] = [];
  #heldItems = 0;
  #committing = 0;
  #scheduled = false;
  readonly #idle: (() => void)[] = [];
  #closed = false;

  /** `commit` writes all the batches in one transaction or throws. */
  constructor(commit: (batches: T[]) => Promise<void>, options: GroupCommitOptions) {
    this.#commit = commit;
    this.#options = options;
  }

  /** Records queued or being committed. */
  get heldItems(): number {
    return this.#heldItems;
  }

  /** True when no more records fit: new requests can be refused before their body is read. */
  get full(): boolean {
    return this.#heldItems >= this.#options.maxQueuedItems;
  }

  /** Throws QueueClosedError or QueueFullError when a batch of `items` would be refused now. */
  checkRoom(items: number): void {
    if (this.#closed) throw new QueueClosedError('the server is shutting down');
    if (this.#heldItems > 0 && this.#heldItems + items > this.#options.maxQueuedItems) {
      throw new QueueFullError(
        `the write queue holds ${this.#heldItems} records (limit ${this.#options.maxQueuedItems})`,
      );
    }
  }

  submit(batch: T, items: number): Promise<void> {
    try {
      this.checkRoom(items);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#heldItems += items;
    const done = new Promise<void>((resolve, reject) => {
      this.#waiting.push({ batch, items, resolve, reject });
    });
    this.#schedule();
    return done;
  }

  #schedule(): void {
    if (this.#scheduled || this.#waiting.length === 0) return;
    if (this.#committing >= (this.#options.maxConcurrentCommits ?? 1)) return;
    this.#scheduled = true;
    // Let the event loop read and decode the requests that arrived meanwhile, so they join
    // this commit instead of waiting for the next one.
    void nextTurn().then(() => {
      this.#scheduled = false;
      if (this.#waiting.length > 0) {
        const group = this.#take();
        this.#committing++;
        void this.#commitGroup(group).finally(() => {
          this.#committing--;
          this.#schedule();
          this.#checkIdle();
        });
      }
      this.#checkIdle();
    });
  }

  #checkIdle(): void {
    if (this.#committing === 0 && this.#waiting.length === 0 && !this.#scheduled) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #take(): Entry<T>[] {
    const group: Entry<T>[] = [];
    let items = 0;
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0] as Entry<T>;
      if (group.length > 0 && items + next.items > this.#options.maxItemsPerCommit) break;
      group.push(next);
      items += next.items;
      this.#waiting.shift();
    }
    return group;
  }

  async #commitGroup(group: Entry<T>[]): Promise<void> {
    try {
      await this.#commit(group.map((e) => e.batch));
      this.#settle(group, null);
      return;
    } catch (error) {
      if (group.length === 1) {
        this.#settle(group, error);
        return;
      }
    }
    // One batch may have failed the whole group: commit each alone, so only that one fails.
    for (const entry of group) {
      try {
        await this.#commit([entry.batch]);
        this.#settle([entry], null);
      } catch (error) {
        this.#settle([entry], error);
      }
    }
  }

  #settle(entries: Entry<T>[], error: unknown): void {
    for (const entry of entries) {
      this.#heldItems -= entry.items;
      if (error === null) entry.resolve();
      else entry.reject(error);
    }
  }

  /** Refuses new batches and waits until everything queued has been committed (or has failed). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#committing === 0 && this.#waiting.length === 0 && !this.#scheduled) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }
}
