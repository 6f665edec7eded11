'use client';
// Events, newest first; namespace, type (Warning/Normal) and the object (kind + name) in the URL.
import { $api } from '../../api/client';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { UrlSelect } from '../common/url-select';
import { useUrlState } from '../frame/url-state';
import { EventsTable } from './events-table';
import { KubeFrame } from './kube-frame';

export function EventsView() {
  const { params, update } = useUrlState();
  const namespace = params.get('namespace') || undefined;
  const typeParam = params.get('type');
  const type = typeParam === 'Warning' || typeParam === 'Normal' ? typeParam : undefined;
  const kind = params.get('kind') || undefined;
  const name = params.get('name') || undefined;
  const query = $api.useQuery('get', '/api/v1/kubernetes/events', {
    params: { query: { namespace, type, kind, name, limit: 500 } },
  });
  return (
    <KubeFrame
      title="Events"
      description={
        kind && name ? (
          <span>
            About{' '}
            <span className="font-mono">
              {kind}/{name}
            </span>{' '}
            <button type="button" onClick={() => update({ kind: null, name: null })} className="text-accent underline">
              show all
            </button>
          </span>
        ) : (
          'What the cluster reported, newest first.'
        )
      }
      actions={
        <UrlSelect
          id="kube-event-type"
          label="Event type"
          param="type"
          value={type ?? ''}
          options={[
            { value: '', label: 'Warning and Normal' },
            { value: 'Warning', label: 'Warning only' },
            { value: 'Normal', label: 'Normal only' },
          ]}
        />
      }
    >
      <Panel title={query.data ? `${query.data.total} event${query.data.total === 1 ? '' : 's'}` : 'Events'}>
        <QueryState
          query={query}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState title="No events">
              Nothing matches{type ? ` (${type} only)` : ''}. The API server keeps events for about an hour; quiet
              namespaces have none.
            </EmptyState>
          }
        >
          {(data) => <EventsTable events={data.items} />}
        </QueryState>
      </Panel>
    </KubeFrame>
  );
}
