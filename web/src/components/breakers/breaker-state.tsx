// A breaker's state as colour AND words, with the operator's force beside it when one holds.
const STYLE: Record<string, string> = {
  closed: 'bg-emerald-500/12 text-emerald-700 ring-emerald-600/25 dark:text-emerald-300',
  half_open: 'bg-amber-500/15 text-amber-800 ring-amber-600/30 dark:text-amber-300',
  open: 'bg-red-500/12 text-red-700 ring-red-600/30 dark:text-red-300',
};
const DOT: Record<string, string> = { closed: 'bg-emerald-500', half_open: 'bg-amber-500', open: 'bg-red-500' };

export function stateLabel(state: string): string {
  return state === 'half_open' ? 'half-open' : state;
}

export function BreakerStateBadge({ state, forced }: { state: string; forced?: string | null }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <span
        className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
          STYLE[state] ?? 'bg-slate-500/12 text-slate-600 ring-slate-500/25 dark:text-slate-300'
        }`}
      >
        <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${DOT[state] ?? 'bg-slate-400'}`} />
        {stateLabel(state)}
      </span>
      {forced && (
        <span
          title={`An operator command holds it ${forced}`}
          className="whitespace-nowrap rounded bg-violet-500/15 px-1.5 py-0.5 text-xs font-medium text-violet-700 dark:text-violet-300"
        >
          forced {forced}
        </span>
      )}
    </span>
  );
}
