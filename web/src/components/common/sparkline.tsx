// A tiny trend line for tables: an SVG path, no axes. Gaps (null) break the line.
export function Sparkline({
  values,
  label,
  className = 'text-accent',
  width = 96,
  height = 24,
  max,
}: {
  values: readonly (number | null)[];
  /** What the line shows, for screen readers (e.g. "requests per second, last 1.2/s"). */
  label: string;
  className?: string;
  width?: number;
  height?: number;
  /** Fixed top of the scale (e.g. 1 for ratios); defaults to the largest value. */
  max?: number;
}) {
  const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const top = max ?? Math.max(0, ...numbers);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  let d = '';
  let pen = false;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (top > 0 ? height - 1 - (value / top) * (height - 2) : height - 1).toFixed(1);
    d += `${pen ? 'L' : 'M'}${x} ${y}`;
    pen = true;
  });
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      className={className}
    >
      {d && <path d={d} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />}
    </svg>
  );
}

/** The last non-null value of a series. */
export function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (value !== null && value !== undefined && Number.isFinite(value)) return value;
  }
  return null;
}
