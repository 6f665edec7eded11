// A structured diff as a list: the path, what it was, what it becomes. Words and colour.
import type { DiffLine } from './config-diff';

const OP_STYLE: Record<DiffLine['op'], string> = {
  add: 'bg-emerald-500/12 text-emerald-700 dark:text-emerald-300',
  remove: 'bg-red-500/12 text-red-700 dark:text-red-300',
  replace: 'bg-amber-500/15 text-amber-800 dark:text-amber-300',
  move: 'bg-sky-500/12 text-sky-700 dark:text-sky-300',
};
const OP_LABEL: Record<DiffLine['op'], string> = { add: 'added', remove: 'removed', replace: 'changed', move: 'moved' };

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function DiffView({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  if (lines.length === 0)
    return <p className="px-3 py-2 text-sm text-muted">No difference: the documents are equal.</p>;
  return (
    <ul aria-label={label} className="flex flex-col divide-y divide-line/70 text-sm">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff is a fixed sequence; the same path can repeat
        <li key={i} className="flex flex-wrap items-baseline gap-2 px-3 py-1.5">
          <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${OP_STYLE[line.op]}`}>{OP_LABEL[line.op]}</span>
          <code className="font-mono text-xs">{line.path || '(whole document)'}</code>
          {line.op === 'move' && <span className="text-xs text-muted">from {line.from}</span>}
          {line.op !== 'add' && line.op !== 'move' && (
            <del className="rounded bg-red-500/8 px-1 font-mono text-xs text-red-700 dark:text-red-300">
              {show(line.before)}
            </del>
          )}
          {line.op !== 'remove' && line.op !== 'move' && (
            <ins className="rounded bg-emerald-500/8 px-1 font-mono text-xs text-emerald-700 no-underline dark:text-emerald-300">
              {show(line.after)}
            </ins>
          )}
        </li>
      ))}
    </ul>
  );
}
