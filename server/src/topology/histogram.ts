// A mergeable latency histogram with fixed log-scale buckets. Every histogram in the process and
// in the store has the same bucket boundaries, so merging is adding counts bucket by bucket —
// which the store does inside its upsert, so several replicas can add into the same stored row
// without reading it first. The stored form is sparse: a JSON object of bucket index → count.
// The bucket layout is part of the stored data: changing it needs a migration.
//
// Bucket i (1..128) holds durations in (2^((i-1)/4), 2^(i/4)] microseconds: four buckets per
// doubling, from 1 µs up to 2^32 µs (about 72 minutes). Bucket 0 holds everything ≤ 1 µs and the
// last bucket everything longer. A quantile falls inside one bucket; interpolating
// geometrically inside it keeps the error under the bucket's half-width, 2^(1/8) - 1 ≈ 9 %
// relative (usually far less), and min/max clamp the extremes exactly.

/** Buckets per doubling of latency. */
const PER_OCTAVE = 4;
/** Doublings covered above 1 µs. */
const OCTAVES = 32;
/** Index of the overflow bucket (durations over 2^32 µs). */
export const OVERFLOW_BUCKET = PER_OCTAVE * OCTAVES + 1;
/** Number of buckets, including the ≤ 1 µs bucket and the overflow bucket. */
export const BUCKET_COUNT = OVERFLOW_BUCKET + 1;
/** The worst relative error of a quantile that falls inside a regular bucket. */
export const MAX_RELATIVE_ERROR = 2 ** (1 / (2 * PER_OCTAVE)) - 1;

/** The bucket a duration (in microseconds) falls in. */
export function bucketIndex(micros: number): number {
  if (!(micros > 1)) return 0; // also catches NaN
  const index = Math.ceil(PER_OCTAVE * Math.log2(micros) - 1e-9);
  return Math.min(index, OVERFLOW_BUCKET);
}

/** Upper bound (inclusive) of bucket `index`, in microseconds; Infinity for the overflow bucket. */
export function bucketUpperBound(index: number): number {
  if (index >= OVERFLOW_BUCKET) return Number.POSITIVE_INFINITY;
  return 2 ** (index / PER_OCTAVE);
}

/** Lower bound (exclusive) of bucket `index`, in microseconds. */
export function bucketLowerBound(index: number): number {
  if (index <= 0) return 0;
  return 2 ** ((index - 1) / PER_OCTAVE);
}

/** Counts per bucket plus the exact extremes; all durations in microseconds. */
export class LatencyHistogram {
  readonly counts: Float64Array;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(counts?: ArrayLike<number>) {
    this.counts = new Float64Array(BUCKET_COUNT);
    if (counts) {
      for (let i = 0; i < BUCKET_COUNT; i++) {
        const c = counts[i] ?? 0;
        this.counts[i] = c;
        this.count += c;
      }
    }
  }

  record(micros: number, times = 1): void {
    const value = Number.isFinite(micros) && micros > 0 ? micros : 0;
    this.counts[bucketIndex(value)]! += times;
    this.count += times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** Adds another histogram's counts into this one (commutative and associative). */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKET_COUNT; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.mergeExtremes(other.min, other.max);
  }

  /** The non-empty buckets as stored: a JSON object of bucket index → count. */
  encode(): string {
    const out: Record<number, number> = {};
    for (let i = 0; i < BUCKET_COUNT; i++) {
      const c = this.counts[i]!;
      if (c > 0) out[i] = c;
    }
    return JSON.stringify(out);
  }

  /** Adds stored counts (the form `encode` writes); unknown indexes are ignored. */
  addEncoded(text: string): void {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key in parsed) {
      const index = Number(key);
      const c = Number(parsed[key]);
      if (Number.isInteger(index) && index >= 0 && index < BUCKET_COUNT && c > 0) {
        this.counts[index]! += c;
        this.count += c;
      }
    }
  }

  /** Widens the known extremes, e.g. with a stored row's min/max columns. */
  mergeExtremes(min: number | null, max: number | null): void {
    if (min !== null && min < this.min) this.min = min;
    if (max !== null && max > this.max) this.max = max;
  }

  /**
   * The q-quantile (0..1) in microseconds, or null when the histogram is empty. Finds the bucket
   * holding rank q·count and interpolates geometrically inside it, clamped to [min, max].
   */
  quantile(q: number): number | null {
    if (this.count <= 0) return null;
    const rank = Math.min(Math.max(q, 0), 1) * this.count;
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      const c = this.counts[i]!;
      if (c <= 0) continue;
      if (seen + c >= rank) {
        const fraction = Math.max(0, rank - seen) / c;
        const value = interpolate(i, fraction, this.min, this.max);
        return this.clamp(value);
      }
      seen += c;
    }
    return this.clamp(this.max);
  }

  private clamp(value: number): number {
    let out = value;
    if (Number.isFinite(this.max) && out > this.max) out = this.max;
    if (Number.isFinite(this.min) && out < this.min) out = this.min;
    return out;
  }
}

function interpolate(index: number, fraction: number, min: number, max: number): number {
  let lower = bucketLowerBound(index);
  let upper = bucketUpperBound(index);
  // The open-ended buckets borrow the exact extremes so the result stays finite and real.
  if (index === OVERFLOW_BUCKET) upper = Number.isFinite(max) ? max : lower * 2;
  if (index === 0) {
    lower = Number.isFinite(min) ? min : 0;
    return lower + (upper - lower) * fraction;
  }
  if (upper <= lower) return upper;
  return lower * (upper / lower) ** fraction;
}
