'use client';
// Every Kubernetes page first asks whether the source is on and synced. Off (the server was
// started without --kubernetes: the routes answer 404) is an empty state that says how to turn
// it on, not an error; caches still loading show a notice above the (partial) page.
import type { ReactNode } from 'react';
import { $api } from '../../api/client';
import { toProblem } from '../../api/problem';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { SkeletonRows } from '../common/skeleton';

export function SourceGate({ children }: { children: ReactNode }) {
  const status = $api.useQuery('get', '/api/v1/kubernetes/status');
  // The route documents no error answers, so the generated error type is `never`; at run time
  // it is the problem+json of a 404 (source off) or of the proxy.
  const error: unknown = status.error;
  if (error && toProblem(error).status === 404) {
    return (
      <Panel>
        <EmptyState title="The Kubernetes source is off">
          Start the server with <code className="font-mono">--kubernetes in-cluster</code> (in a pod, with the RBAC in{' '}
          <code className="font-mono">deploy/kubernetes</code>) or{' '}
          <code className="font-mono">--kubernetes ~/.kube/config</code> (and{' '}
          <code className="font-mono">--kube-context</code>), or set{' '}
          <code className="font-mono">SIGNALBOX_KUBERNETES</code>. Its pods, workloads and events then appear here.
        </EmptyState>
      </Panel>
    );
  }
  if (error && status.data === undefined) {
    return <ProblemView error={error} onRetry={() => void status.refetch()} />;
  }
  if (status.data === undefined) {
    return (
      <Panel>
        <SkeletonRows />
      </Panel>
    );
  }
  const pending = status.data.resources.filter((r) => !r.synced);
  const failing = status.data.resources.filter((r) => r.last_error);
  return (
    <>
      {!status.data.synced && (
        <p
          role="status"
          className="mb-3 rounded-md border border-amber-500/40 bg-amber-500/8 px-3 py-2 text-sm text-amber-900 dark:text-amber-200"
        >
          Loading the cluster: {pending.map((r) => r.resource).join(', ')} not listed yet from{' '}
          <code className="font-mono">{status.data.cluster}</code>
          {failing[0]?.last_error ? ` (last error: ${failing[0].last_error})` : ''}. What is shown may be incomplete.
        </p>
      )}
      {children}
    </>
  );
}
