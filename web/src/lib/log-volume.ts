// Stacking for the log volume chart: uPlot draws series in order, each over the last, so a
// stack is drawn as running totals from the top band down: band i's bar reaches the sum of
// band i and every band after it (the more severe ones, at the bottom).

export function stackFromTop(bands: readonly (readonly number[])[]): number[][] {
  const out: number[][] = bands.map((band) => Array.from(band));
  for (let i = out.length - 2; i >= 0; i--) {
    const below = out[i + 1] as number[];
    const band = out[i] as number[];
    for (let k = 0; k < band.length; k++) band[k] = (band[k] ?? 0) + (below[k] ?? 0);
  }
  return out;
}

/** Tick steps for a count axis: whole numbers only. */
export const COUNT_INCREMENTS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();
