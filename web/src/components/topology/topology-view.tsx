'use client';
// The topology page: the query for the window, its loading, empty and error states, and the
// graph. The graph's code (React Flow) is its own chunk, fetched while the topology request and
// the layout worker's start are under way instead of before the page can send anything.
import { type ComponentType, useEffect, useState } from 'react';
import { $api } from '../../api/client';
import { EmptyState } from '../common/empty-state';
import { PageHeader } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Skeleton } from '../common/skeleton';
import { useTimeWindow } from '../frame/time-context';
import { startLayoutWorker, useLayoutWorker } from './use-layout';

startLayoutWorker();

type Canvas = typeof import('./topology-canvas').TopologyCanvas;

/**
 * The canvas module, loaded once the page is up. Held in state rather than through next/dynamic
 * (React.lazy): content that suspends is revealed no sooner than React's fallback throttle
 * (~300 ms), which delayed every first drawing by that much.
 */
function useCanvas(): Canvas | null {
  const [canvas, setCanvas] = useState<{ component: Canvas } | null>(null);
  useEffect(() => {
    let live = true;
    void import('./topology-canvas').then((m) => {
      if (live) setCanvas({ component: m.TopologyCanvas });
    });
    return () => {
      live = false;
    };
  }, []);
  return canvas?.component ?? null;
}

export function TopologyView() {
  const { from, to } = useTimeWindow();
  const worker = useLayoutWorker();
  const topology = $api.useQuery('get', '/api/v1/topology', { params: { query: { from, to } } });
  const TopologyCanvas: ComponentType<Parameters<Canvas>[0]> | null = useCanvas();
  return (
    <div className="flex h-[calc(100vh-6rem)] min-h-[520px] flex-col">
      <PageHeader title="Topology" />
      <QueryState
        query={topology}
        skeleton={<Skeleton className="h-full w-full" />}
        isEmpty={(data) => data.nodes.length === 0}
        empty={
          <EmptyState title="No calls in this window">
            The graph is drawn from traces: services appear once they send spans to the OTLP receiver (port 4318). Widen
            the time range, or run <code className="font-mono">npm run demo</code> for a fleet that does.
          </EmptyState>
        }
      >
        {(data) =>
          TopologyCanvas ? <TopologyCanvas topology={data} worker={worker} /> : <Skeleton className="h-full w-full" />
        }
      </QueryState>
    </div>
  );
}
