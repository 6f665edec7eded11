// Route segments of the Kubernetes pages, decoded once (server side, in the page files).
import type { WorkloadKind } from './types';

const KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function workloadKind(segment: string): WorkloadKind | undefined {
  return KINDS.find((k) => k === segment);
}
