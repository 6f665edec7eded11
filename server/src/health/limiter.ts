// Bounded concurrency for probes: at most `concurrency` in flight overall and at most
// `perOrigin` against one host:port. The per-origin cap is what keeps a slow or hanging target
// from taking every slot: its probes queue behind each other while other targets keep their
// schedule. Origins with waiting work take turns (round robin), so no target starves another.

type Task = () => Promise<void>;

/** A FIFO queue with O(1) push and shift. */
class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the consumed prefix dominates, so memory follows the live length.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

interface Origin {
  key: string;
  inFlight: number;
  waiting: Queue<Task>;
  /** Whether the origin sits in the runnable queue now. */
  listed: boolean;
}

export class ProbeLimiter {
  private readonly origins = new Map<string, Origin>();
  private readonly runnable = new Queue<Origin>();
  private active = 0;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly perOrigin: number,
  ) {}

  /** Probes running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Probes waiting for a slot. */
  get queued(): number {
    return this.pending;
  }

  submit(origin: string, task: Task): void {
    let entry = this.origins.get(origin);
    if (!entry) {
      entry = { key: origin, inFlight: 0, waiting: new Queue(), listed: false };
      this.origins.set(origin, entry);
    }
    entry.waiting.push(task);
    this.pending++;
    this.list(entry);
    this.pump();
  }

  /** Drops every waiting task (running ones finish). */
  clearQueued(): void {
    for (const entry of this.origins.values()) {
      entry.waiting.clear();
      if (entry.inFlight === 0) this.origins.delete(entry.key);
    }
    this.runnable.clear();
    for (const entry of this.origins.values()) entry.listed = false;
    this.pending = 0;
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.active === 0 && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private list(entry: Origin): void {
    if (!entry.listed && entry.waiting.length > 0 && entry.inFlight < this.perOrigin) {
      entry.listed = true;
      this.runnable.push(entry);
    }
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const entry = this.runnable.shift();
      if (!entry) break;
      entry.listed = false;
      const task = entry.waiting.shift();
      if (!task) continue;
      this.pending--;
      this.active++;
      entry.inFlight++;
      this.list(entry);
      task()
        .catch(() => {})
        .finally(() => this.done(entry));
    }
  }

  private done(entry: Origin): void {
    this.active--;
    entry.inFlight--;
    if (entry.inFlight === 0 && entry.waiting.length === 0) this.origins.delete(entry.key);
    else this.list(entry);
    this.pump();
    if (this.active === 0 && this.pending === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
