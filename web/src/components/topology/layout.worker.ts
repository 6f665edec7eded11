// Lays the topology out off the main thread, so a big graph never freezes the page.
import { type Box, type LayoutEdge, type LayoutNode, layoutGraph } from './layout';

export interface LayoutRequest {
  id: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export interface LayoutResponse {
  id: number;
  positions: [string, { x: number; y: number }][];
  clusters: [string, Box][];
  ms: number;
}

/** Sent once the script has loaded: the page marks when the worker could take work. */
export interface WorkerReady {
  ready: true;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const started = performance.now();
  const { id, nodes, edges } = event.data;
  const { positions, clusters } = layoutGraph(nodes, edges);
  const response: LayoutResponse = {
    id,
    positions: [...positions],
    clusters: [...clusters],
    ms: performance.now() - started,
  };
  self.postMessage(response);
};

// Say when the script is loaded (its chunks fetched, dagre evaluated), for the page's marks. A
// warm-up layout here was measured: it took 150–190 ms and the worker was often still busy
// with it when the topology arrived, so the real layout waited longer than warming saved.
const ready: WorkerReady = { ready: true };
self.postMessage(ready);
