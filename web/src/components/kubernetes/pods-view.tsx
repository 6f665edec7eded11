'use client';
// Pods, problems first (the server's order): crash loops, OOM kills, image pulls, scheduling,
// probes, restarts. Namespace, the problem filter and the app filter live in the URL.
import { $api } from '../../api/client';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { UrlSelect } from '../common/url-select';
import { useUrlState } from '../frame/url-state';
import { KubeFrame } from './kube-frame';
import { PodsTable } from './pods-table';

const SEVERITIES = [
  { value: '', label: 'Every pod' },
  { value: 'problems', label: 'Problems only' },
  { value: 'critical', label: 'Critical only' },
] as const;

export function PodsView() {
  const { params, update } = useUrlState();
  const namespace = params.get('namespace') || undefined;
  const app = params.get('app') || undefined;
  const severityParam = params.get('severity');
  const severity = severityParam === 'problems' || severityParam === 'critical' ? severityParam : undefined;
  const query = $api.useQuery('get', '/api/v1/kubernetes/pods', {
    params: { query: { namespace, app, severity } },
  });

  return (
    <KubeFrame
      title="Pods"
      description="Problems first: crash loops, OOM kills, image pulls, scheduling, probes, restarts."
      actions={
        <>
          <label htmlFor="kube-app" className="sr-only">
            Application
          </label>
          <input
            id="kube-app"
            type="search"
            placeholder="App or service name"
            defaultValue={app ?? ''}
            onKeyDown={(event) => {
              if (event.key === 'Enter') update({ app: event.currentTarget.value.trim() });
            }}
            onBlur={(event) => update({ app: event.currentTarget.value.trim() }, { history: 'replace' })}
            className="w-48 rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm"
          />
          <UrlSelect id="kube-severity" label="Problems" param="severity" value={severity ?? ''} options={SEVERITIES} />
        </>
      }
    >
      <Panel
        title={
          query.data ? (
            <span>
              {query.data.total} pod{query.data.total === 1 ? '' : 's'}
              {query.data.items.length < query.data.total && (
                <span className="font-normal text-muted"> (showing the first {query.data.items.length})</span>
              )}
            </span>
          ) : (
            'Pods'
          )
        }
      >
        <QueryState
          query={query}
          isEmpty={(data) => data.items.length === 0}
          empty={
            <EmptyState
              title={severity ? 'No pod has a problem' : 'No pods here'}
              action={
                (severity || app) && (
                  <button
                    type="button"
                    onClick={() => update({ severity: null, app: null })}
                    className="text-accent underline"
                  >
                    Clear the filters
                  </button>
                )
              }
            >
              {severity
                ? 'Every pod that matches is running and ready, with no recent restarts.'
                : 'Nothing matches this namespace and app. Choose another namespace or clear the app filter.'}
            </EmptyState>
          }
        >
          {(data) => <PodsTable pods={data.items} showNamespace={!namespace} />}
        </QueryState>
      </Panel>
    </KubeFrame>
  );
}
