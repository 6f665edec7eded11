// OpenTelemetry severity numbers (1..24) in six bands, each with a colour.
export type SeverityBand = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unset';

export function severityBand(severityNumber: number): SeverityBand {
  if (severityNumber <= 0) return 'unset';
  if (severityNumber <= 4) return 'trace';
  if (severityNumber <= 8) return 'debug';
  if (severityNumber <= 12) return 'info';
  if (severityNumber <= 16) return 'warn';
  if (severityNumber <= 20) return 'error';
  return 'fatal';
}

export const SEVERITY_STYLE: Record<SeverityBand, string> = {
  unset: 'text-muted',
  trace: 'text-slate-500',
  debug: 'text-slate-500 dark:text-slate-400',
  info: 'text-sky-700 dark:text-sky-300',
  warn: 'text-amber-700 dark:text-amber-300',
  error: 'text-red-600 dark:text-red-400',
  fatal: 'text-white bg-red-600 rounded px-1',
};

export const SEVERITY_OPTIONS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
