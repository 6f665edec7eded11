// The roll-ups' time grid: 1-minute buckets, keyed by the minute's start in epoch ms.

export const MINUTE_MS = 60_000;

/** Start of the minute a span started in, epoch ms. The float conversion loses < 1 µs. */
export function minuteOfNs(startNs: bigint): number {
  return Math.floor(Number(startNs) / 1e6 / MINUTE_MS) * MINUTE_MS;
}
