'use client';
import { PageHeader, Panel } from '../common/page-header';
import { TraceResults } from './trace-results';
import { TraceSearchForm } from './trace-search-form';

export function TracesView() {
  return (
    <>
      <PageHeader
        title="Traces"
        description="Find traces by service, operation, attributes and duration in the time window."
      />
      <div className="flex flex-col gap-4">
        <Panel>
          <TraceSearchForm />
        </Panel>
        <TraceResults />
      </div>
    </>
  );
}
