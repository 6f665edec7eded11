'use client';
// Logs: search over the time window, or a live tail (`live=1` in the URL), with the same filters.
import { readLogFilters, tailUrl } from '../../lib/log-search';
import { PageHeader, Panel } from '../common/page-header';
import { useUrlState } from '../frame/url-state';
import { LiveTail } from './live-tail';
import { LogFilterForm } from './log-filter-form';
import { LogSearchResults } from './log-search-results';
import { LogVolume } from './log-volume';

export function LogsView() {
  const { params, update } = useUrlState();
  const filters = readLogFilters(params);
  const live = params.get('live') === '1';
  return (
    <>
      <PageHeader
        title="Logs"
        description={live ? 'Live: new records as they arrive.' : 'Log records in the time window, newest first.'}
        actions={
          <fieldset className="flex rounded-md border border-line">
            <legend className="sr-only">Mode</legend>
            <button
              type="button"
              aria-pressed={!live}
              onClick={() => update({ live: null })}
              className={`rounded-l-md px-3 py-1.5 text-sm ${!live ? 'bg-accent text-accent-fg' : 'hover:bg-raised'}`}
            >
              Search
            </button>
            <button
              type="button"
              aria-pressed={live}
              onClick={() => update({ live: '1' })}
              className={`rounded-r-md px-3 py-1.5 text-sm ${live ? 'bg-accent text-accent-fg' : 'hover:bg-raised'}`}
            >
              Live tail
            </button>
          </fieldset>
        }
      />
      <div className="flex flex-col gap-4">
        <Panel>
          <LogFilterForm />
        </Panel>
        <Panel>
          {live ? (
            <LiveTail key={tailUrl(filters)} filters={filters} />
          ) : (
            <>
              <LogVolume filters={filters} />
              <LogSearchResults filters={filters} />
            </>
          )}
        </Panel>
      </div>
    </>
  );
}
