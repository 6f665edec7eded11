// Call outcomes over a sliding time window, in buckets (the same shape opossum keeps for its
// failure rate): counts slow calls, which opossum does not, so a breaker can open on them.

export class SlidingWindow {
  private readonly bucketMs: number;
  private readonly buckets: { start: number; calls: number; slow: number }[] = [];

  constructor(
    private readonly windowMs: number,
    bucketCount: number,
    private readonly now: () => number = Date.now,
  ) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / bucketCount));
  }

  record(slow: boolean): void {
    const at = this.now();
    const start = at - (at % this.bucketMs);
    let last = this.buckets.at(-1);
    if (!last || last.start !== start) {
      last = { start, calls: 0, slow: 0 };
      this.buckets.push(last);
    }
    last.calls += 1;
    if (slow) last.slow += 1;
    this.evict(at);
  }

  totals(): { calls: number; slow: number } {
    this.evict(this.now());
    let calls = 0;
    let slow = 0;
    for (const bucket of this.buckets) {
      calls += bucket.calls;
      slow += bucket.slow;
    }
    return { calls, slow };
  }

  private evict(at: number): void {
    while (this.buckets.length > 0 && (this.buckets[0]?.start ?? 0) <= at - this.windowMs) this.buckets.shift();
  }
}
