// A binary min-heap ordered by a numeric key: the schedule of every check on this replica.
// One timer is armed for the top entry instead of one timer per check; entries that are no longer
// wanted are dropped lazily when they reach the top (the caller checks a generation number).
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  push(key: number, value: T): void {
    this.keys.push(key);
    this.values.push(value);
    this.up(this.keys.length - 1);
  }

  /** Removes and returns the entry with the smallest key. */
  pop(): T | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top = this.values[0] as T;
    const lastKey = this.keys.pop() as number;
    const lastValue = this.values.pop() as T;
    if (n > 1) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue;
      this.down(0);
    }
    return top;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }

  private up(index: number): void {
    const key = this.keys[index] as number;
    const value = this.values[index] as T;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.keys[parent] as number) <= key) break;
      this.keys[i] = this.keys[parent] as number;
      this.values[i] = this.values[parent] as T;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  private down(index: number): void {
    const n = this.keys.length;
    const key = this.keys[index] as number;
    const value = this.values[index] as T;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (this.keys[right] as number) < (this.keys[left] as number) ? right : left;
      if ((this.keys[child] as number) >= key) break;
      this.keys[i] = this.keys[child] as number;
      this.values[i] = this.values[child] as T;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }
}
