// The control plane takes durations as strings like "15s" or "500ms" (Consul style); the agent
// keeps milliseconds inside and formats them only at the edge.

/** The shortest exact string for a number of milliseconds: 15000 → "15s", 600000 → "10m", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  if (whole === 0) return '0s';
  if (whole % 3_600_000 === 0) return `${whole / 3_600_000}h`;
  if (whole % 60_000 === 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}
