// Severity, problems and pod status as colour AND words (never colour alone), one style for
// every Kubernetes page, matching the health badges of the other pages.
import { PROBLEM_LABEL } from './model';
import type { KubeProblem, KubeSeverity } from './types';

const SEVERITY_STYLE: Record<KubeSeverity, string> = {
  critical: 'bg-red-500/12 text-red-700 ring-red-600/30 dark:text-red-300',
  warning: 'bg-amber-500/15 text-amber-800 ring-amber-600/30 dark:text-amber-300',
  ok: 'bg-emerald-500/12 text-emerald-700 ring-emerald-600/25 dark:text-emerald-300',
};

const SEVERITY_DOT: Record<KubeSeverity, string> = {
  critical: 'bg-red-500',
  warning: 'bg-amber-500',
  ok: 'bg-emerald-500',
};

/** A pill in the severity's colours; the text says what it is (a pod status, "ok", …). */
export function SeverityBadge({ severity, children }: { severity: KubeSeverity; children?: React.ReactNode }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${SEVERITY_STYLE[severity]}`}
    >
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${SEVERITY_DOT[severity]}`} />
      {children ?? severity}
    </span>
  );
}

/** One problem: its kubectl word in bold, the container, and the message an operator reads. */
/** `wrap`: the whole message (a pod's page); otherwise one line, cut, with the rest on hover. */
export function ProblemLine({ problem, wrap = false }: { problem: KubeProblem; wrap?: boolean }) {
  const tone =
    problem.severity === 'critical' ? 'text-red-700 dark:text-red-300' : 'text-amber-800 dark:text-amber-300';
  return (
    <li className="flex min-w-0 items-baseline gap-1.5 text-xs" data-testid="pod-problem" data-code={problem.code}>
      <span className={`shrink-0 font-semibold ${tone}`}>{PROBLEM_LABEL[problem.code]}</span>
      {/* Messages usually start with the container's name already; do not say it twice. */}
      {problem.container && !problem.message.startsWith(problem.container) && (
        <span className="shrink-0 font-mono text-muted">{problem.container}</span>
      )}
      <span className={`min-w-0 text-muted ${wrap ? 'break-words' : 'truncate'}`} title={problem.message}>
        {problem.message}
      </span>
    </li>
  );
}

export function ProblemList({ problems, limit = 3 }: { problems: readonly KubeProblem[]; limit?: number }) {
  if (problems.length === 0) return null;
  const shown = problems.slice(0, limit);
  return (
    <ul className="mt-0.5 flex flex-col gap-0.5">
      {shown.map((p) => (
        <ProblemLine key={`${p.code}:${p.container ?? ''}`} problem={p} />
      ))}
      {problems.length > shown.length && (
        <li className="text-xs text-muted">and {problems.length - shown.length} more</li>
      )}
    </ul>
  );
}

/** A count that turns amber (warning) or red (critical) when it is not zero. */
export function CountCell({ value, tone = 'warning' }: { value: number; tone?: 'warning' | 'critical' }) {
  if (value === 0) return <span className="text-muted">0</span>;
  return (
    <span
      className={`font-semibold ${tone === 'critical' ? 'text-red-700 dark:text-red-300' : 'text-amber-800 dark:text-amber-300'}`}
    >
      {value}
    </span>
  );
}
