// Health status as colour AND words (never colour alone), in one place for every page.
import type { HealthStatus } from '../../api/types';

export const STATUS_ORDER: Record<HealthStatus, number> = { critical: 0, warning: 1, unknown: 2, passing: 3 };

const STYLE: Record<HealthStatus, string> = {
  passing: 'bg-emerald-500/12 text-emerald-700 ring-emerald-600/25 dark:text-emerald-300',
  warning: 'bg-amber-500/15 text-amber-800 ring-amber-600/30 dark:text-amber-300',
  critical: 'bg-red-500/12 text-red-700 ring-red-600/30 dark:text-red-300',
  unknown: 'bg-slate-500/12 text-slate-600 ring-slate-500/25 dark:text-slate-300',
};

export const STATUS_DOT: Record<HealthStatus | 'removed' | 'none', string> = {
  passing: 'bg-emerald-500',
  warning: 'bg-amber-500',
  critical: 'bg-red-500',
  unknown: 'bg-slate-400',
  removed: 'bg-slate-300 dark:bg-slate-600',
  none: 'bg-transparent',
};

export function StatusBadge({ status, children }: { status: HealthStatus; children?: React.ReactNode }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLE[status]}`}
    >
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${STATUS_DOT[status]}`} />
      {children ?? status}
    </span>
  );
}

export function Chip({ children, title }: { children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className="inline-flex items-center rounded bg-raised px-1.5 py-0.5 font-mono text-xs">
      {children}
    </span>
  );
}
