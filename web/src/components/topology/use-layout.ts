'use client';
// Runs the dagre layout in a Web Worker and keeps the last result for the graph it was made for.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Box, LayoutEdge, LayoutNode } from './layout';
import type { LayoutRequest, LayoutResponse, WorkerReady } from './layout.worker';

export interface Layout {
  key: string;
  positions: Map<string, { x: number; y: number }>;
  clusters: Map<string, Box>;
  ms: number;
}

export function graphKey(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): string {
  return `${nodes.map((n) => (n.parent ? `${n.id}@${n.parent}` : n.id)).join(',')}|${edges.map((e) => `${e.source}>${e.target}`).join(',')}`;
}

/** A worker started before the page mounted, waiting to be taken by useLayoutWorker. */
let started: Worker | null = null;

function createWorker(): Worker {
  const instance = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  instance.addEventListener('message', (event: MessageEvent<LayoutResponse | WorkerReady>) => {
    if ('ready' in event.data) performance.mark('topology:worker-ready');
  });
  return instance;
}

/**
 * Starts the layout worker now, in the browser: called when the topology page's code is
 * evaluated, before it hydrates, since loading the worker's script takes longer than the
 * topology request on a busy machine.
 */
export function startLayoutWorker(): void {
  if (typeof window !== 'undefined' && typeof Worker !== 'undefined' && !started) started = createWorker();
}

/**
 * The layout worker (the one started early, else a new one) for as long as the page is
 * mounted; ended when it goes away.
 */
export function useLayoutWorker(): Worker | null {
  const [worker, setWorker] = useState<Worker | null>(null);
  useEffect(() => {
    const instance = started ?? createWorker();
    started = null;
    setWorker(instance);
    return () => instance.terminate();
  }, []);
  return worker;
}

export function useLayout(
  worker: Worker | null,
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): (Layout & { current: boolean }) | null {
  const sequence = useRef(0);
  const [layout, setLayout] = useState<Layout | null>(null);
  const key = graphKey(nodes, edges);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for nodes and edges
  useEffect(() => {
    if (!worker) return undefined;
    const id = ++sequence.current;
    const onMessage = (event: MessageEvent<LayoutResponse | WorkerReady>) => {
      if ('ready' in event.data || event.data.id !== id) return;
      // User Timing marks, so a profile (and bench/dashboard) can tell the worker's share.
      performance.mark('topology:layout-received', { detail: { ms: event.data.ms } });
      setLayout({
        key,
        positions: new Map(event.data.positions),
        clusters: new Map(event.data.clusters),
        ms: event.data.ms,
      });
    };
    worker.addEventListener('message', onMessage);
    const request: LayoutRequest = {
      id,
      nodes: nodes.map(({ id: nodeId, parent }) => (parent ? { id: nodeId, parent } : { id: nodeId })),
      edges: edges.map(({ source, target, rate }) => ({ source, target, rate })),
    };
    performance.mark('topology:layout-posted');
    worker.postMessage(request);
    return () => worker.removeEventListener('message', onMessage);
  }, [key, worker]);

  // Until the new layout arrives the last one stays on screen (nodes it lacks are left out), so
  // typing in a filter does not flash a skeleton.
  return useMemo(() => (layout ? { ...layout, current: layout.key === key } : null), [layout, key]);
}
