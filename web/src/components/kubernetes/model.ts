// Pure rules of the Kubernetes pages (labels, ordering, links, log-line parsing), kept out of
// the components so they are unit-tested without a browser.
import type { KubeContainer, KubeLogLine, KubePod, KubeProblem, KubeSeverity, KubeWorkload } from './types';

/** What an operator calls each problem (the words `kubectl` and the kubelet use). */
export const PROBLEM_LABEL: Record<KubeProblem['code'], string> = {
  crash_loop: 'CrashLoopBackOff',
  oom_killed: 'OOMKilled',
  image_pull: 'ImagePullBackOff',
  config_error: 'Config error',
  unschedulable: 'Unschedulable',
  pending: 'Pending',
  probe_failing: 'Probe failing',
  restarts: 'Restarts',
  failed: 'Failed',
  evicted: 'Evicted',
  terminating_stuck: 'Stuck terminating',
};

export const SEVERITY_ORDER: Record<KubeSeverity, number> = { critical: 0, warning: 1, ok: 2 };

/** Problems first (critical, then warning), then most restarts, then name: the server's order. */
export function comparePods(a: KubePod, b: KubePod): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    b.restarts - a.restarts ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}

export function podHref(pod: Pick<KubePod, 'namespace' | 'name'>): string {
  return `/kubernetes/pods/${encodeURIComponent(pod.namespace)}/${encodeURIComponent(pod.name)}`;
}

export function workloadHref(w: Pick<KubeWorkload, 'namespace' | 'kind' | 'name'>): string {
  return `/kubernetes/workloads/${encodeURIComponent(w.namespace)}/${w.kind}/${encodeURIComponent(w.name)}`;
}

/**
 * The rollout bar: `updated` is the share of desired replicas on the new revision, `done` the
 * share both updated and available (what kubectl waits for). Available old pods do not count
 * as progress, so a rollout that has barely started does not look finished.
 */
export function rolloutShares(rollout: KubeWorkload['rollout']): { updated: number; done: number } {
  const desired = Math.max(rollout.desired, 1);
  return {
    updated: Math.min(1, rollout.updated / desired),
    done: Math.min(1, Math.min(rollout.updated, rollout.available) / desired),
  };
}

/** A container's state in the words `kubectl describe` uses: "Waiting: CrashLoopBackOff". */
export function describeContainerState(c: KubeContainer): string {
  const state = c.state.charAt(0).toUpperCase() + c.state.slice(1);
  return c.reason ? `${state}: ${c.reason}` : state;
}

/** The container the log viewer shows: the one asked for if it exists, else the first app container. */
export function pickContainer(containers: readonly KubeContainer[], asked: string | null): string | null {
  if (asked && containers.some((c) => c.name === asked)) return asked;
  return (containers.find((c) => !c.init) ?? containers[0])?.name ?? null;
}

export type LogLevel = 'error' | 'warn' | 'info';

/** A log line's level, from JSON `level` fields or the usual words, for colouring only. */
export function logLevel(text: string): LogLevel {
  const json = /"(?:level|severity)"\s*:\s*"(\w+)"/i.exec(text)?.[1]?.toLowerCase();
  const word = json ?? /\b(fatal|panic|error|err|exception|warn|warning)\b/i.exec(text)?.[1]?.toLowerCase();
  if (!word) return /^\s+at\s/.test(text) ? 'error' : 'info';
  if (['fatal', 'panic', 'error', 'err', 'exception', 'critical'].includes(word)) return 'error';
  if (word === 'warn' || word === 'warning') return 'warn';
  return 'info';
}

/** Milliseconds of a log line's kubelet timestamp (nanoseconds as a decimal string), or null. */
export function logLineMs(line: KubeLogLine): number | null {
  if (!line.time_ns) return null;
  const ns = BigInt(line.time_ns);
  return Number(ns / 1_000_000n);
}

/** The follow URL (through the dashboard's /api/v1 proxy). */
export function logStreamUrl(namespace: string, pod: string, container: string, tailLines: number): string {
  const params = new URLSearchParams({ container, tail_lines: String(tailLines) });
  return `/api/v1/kubernetes/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/logs/stream?${params}`;
}
