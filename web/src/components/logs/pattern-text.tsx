// A log pattern's template with its variable parts (<*>) set apart, so the fixed wording reads.
import { Fragment } from 'react';

export const VARIABLE = '<*>';

export function PatternText({ pattern, className = '' }: { pattern: string; className?: string }) {
  const parts = pattern.split(VARIABLE);
  return (
    <span className={`font-mono ${className}`} title={pattern}>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && (
            <span className="mx-px rounded bg-violet-100 px-0.5 text-violet-700 dark:bg-violet-500/20 dark:text-violet-300">
              {VARIABLE}
            </span>
          )}
        </Fragment>
      ))}
    </span>
  );
}
