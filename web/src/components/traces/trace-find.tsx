'use client';
// The waterfall's "Find in trace" bar: the query is the URL's `find=` (a link shows the same
// matches), Enter and Shift+Enter (or the arrows) select the next and previous match, which
// opens its collapsed ancestors and scrolls it into view (the waterfall does that for any
// selection).
import type { KeyboardEvent } from 'react';
import { UrlSearchInput } from '../common/url-search-input';

const STEPS = [
  { by: -1, label: 'Previous match', glyph: '↑' },
  { by: 1, label: 'Next match', glyph: '↓' },
] as const;

export function TraceFind({
  matches,
  active,
  selected,
  onSelect,
}: {
  /** Matching span ids in waterfall order. */
  matches: readonly string[];
  /** A query was typed. */
  active: boolean;
  selected: string | null;
  onSelect(spanId: string): void;
}) {
  const at = selected ? matches.indexOf(selected) : -1;
  const step = (by: 1 | -1) => {
    if (matches.length === 0) return;
    const next = at === -1 ? (by === 1 ? 0 : matches.length - 1) : (at + by + matches.length) % matches.length;
    onSelect(matches[next] as string);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    step(event.shiftKey ? -1 : 1);
  };
  return (
    <div className="flex items-center gap-1.5">
      <UrlSearchInput
        id="trace-find"
        label="Find in trace"
        param="find"
        placeholder="Find: service, operation, key=value…"
        onKeyDown={onKeyDown}
        className="w-64 rounded-md border border-line bg-canvas px-2 py-0.5 text-xs"
      />
      {active && (
        <>
          <output htmlFor="trace-find" aria-live="polite" className="min-w-16 text-muted tabular-nums">
            {matches.length === 0
              ? 'no match'
              : at === -1
                ? `${matches.length} match${matches.length === 1 ? '' : 'es'}`
                : `${at + 1} of ${matches.length}`}
          </output>
          {STEPS.map(({ by, label, glyph }) => (
            <button
              key={by}
              type="button"
              className="rounded border border-line px-1.5 leading-5 hover:bg-raised disabled:opacity-40"
              aria-label={label}
              disabled={!matches.length}
              onClick={() => step(by)}
            >
              {glyph}
            </button>
          ))}
        </>
      )}
    </div>
  );
}
