// The width a chart's value axis needs: its longest label, plus the tick and the gap before it.
// A fixed width cut labels such as "50.0 ms" at the canvas's left edge.

/** CSS pixels for an axis showing `labels`; `measure` gives a label's drawn width in CSS pixels. */
export function valueAxisWidth(
  labels: readonly string[] | null,
  measure: (label: string) => number,
  tickSize: number,
  gap: number,
): number {
  let widest = 0;
  for (const label of labels ?? []) widest = Math.max(widest, measure(label));
  // A few pixels so the first glyph does not touch the edge.
  return Math.ceil(widest + tickSize + gap + 4);
}
