'use client';
// Logs: search over the time window, its records grouped by pattern (`view=patterns`), or a live
// tail (`live=1`), with the same filters.
import { readLogFilters, tailUrl } from '../../lib/log-search';
import { PageHeader, Panel } from '../common/page-header';
import { useUrlState } from '../frame/url-state';
import { LiveTail } from './live-tail';
import { LogFilterForm } from './log-filter-form';
import { LogPatterns } from './log-patterns';
import { LogSearchResults } from './log-search-results';
import { LogVolume } from './log-volume';

export function LogsView() {
  const { params, update } = useUrlState();
  const filters = readLogFilters(params);
  const mode: Mode = params.get('live') === '1' ? 'live' : params.get('view') === 'patterns' ? 'patterns' : 'search';
  return (
    <>
      <PageHeader
        title="Logs"
        description={DESCRIPTIONS[mode]}
        actions={
          <fieldset className="flex rounded-md border border-line">
            <legend className="sr-only">Mode</legend>
            {MODES.map(([value, label, state], i) => (
              <button
                key={value}
                type="button"
                aria-pressed={mode === value}
                onClick={() => update(state)}
                className={`px-3 py-1.5 text-sm ${i === 0 ? 'rounded-l-md' : ''} ${i === MODES.length - 1 ? 'rounded-r-md' : ''} ${
                  mode === value ? 'bg-accent text-accent-fg' : 'hover:bg-raised'
                }`}
              >
                {label}
              </button>
            ))}
          </fieldset>
        }
      />
      <div className="flex flex-col gap-4">
        <Panel>
          <LogFilterForm />
        </Panel>
        <Panel>
          {mode === 'live' ? (
            <LiveTail key={tailUrl(filters)} filters={filters} />
          ) : (
            <>
              <LogVolume filters={filters} />
              {mode === 'patterns' ? <LogPatterns filters={filters} /> : <LogSearchResults filters={filters} />}
            </>
          )}
        </Panel>
      </div>
    </>
  );
}

type Mode = 'search' | 'patterns' | 'live';

const MODES: [Mode, string, Record<string, string | null>][] = [
  ['search', 'Search', { live: null, view: null }],
  ['patterns', 'Patterns', { live: null, view: 'patterns' }],
  ['live', 'Live tail', { live: '1', view: null }],
];

const DESCRIPTIONS: Record<Mode, string> = {
  search: 'Log records in the time window, newest first.',
  patterns: 'Log records in the time window grouped by pattern, the most frequent first.',
  live: 'Live: new records as they arrive.',
};
