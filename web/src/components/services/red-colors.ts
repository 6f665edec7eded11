// One colour per RED signal, the same on every chart and sparkline.
export const RED_COLORS = {
  rate: '#3b82f6',
  errors: '#ef4444',
  p50: '#22c55e',
  p95: '#f59e0b',
  p99: '#a855f7',
} as const;
