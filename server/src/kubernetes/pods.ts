// A pod as an operator reads it: the status `kubectl get pods` would print, and the problems
// that need attention first (crash loops, OOM kills, image pulls, scheduling, probes, restarts),
// each with a message that says what happened and, in since_at, since when (messages hold no
// relative times, so a view cached for a few seconds never reads stale).
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { labelsOf, millis, nameOf, namespaceOf, uidOf } from './objects.js';
import type { ContainerView, EventView, PodView, Problem, ProblemCode } from './schemas.js';

/** Problems this recent count as current; older terminations are history. */
export const RECENT_MS = 60 * 60 * 1000; // 1 h
/** Probe failures reported by events this recent count as current. */
export const PROBE_EVENT_MS = 10 * 60 * 1000; // 10 min
/** A scheduled pod still Pending after this long is a problem of its own. */
export const PENDING_MS = 5 * 60 * 1000; // 5 min

const IMAGE_PULL = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_ERRORS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PostStartHookError',
  'ContainerCannotRun',
]);

const CODE_RANK: Record<ProblemCode, number> = {
  crash_loop: 0,
  oom_killed: 1,
  image_pull: 2,
  config_error: 3,
  unschedulable: 4,
  failed: 5,
  evicted: 6,
  probe_failing: 7,
  restarts: 8,
  pending: 9,
  terminating_stuck: 10,
};

export interface PodContext {
  /** Kubernetes Services in the pod's namespace that select it. */
  services: string[];
  /** Registry instances matched to the pod. */
  instanceIds: string[];
  workload: { kind: string; name: string } | null;
  app: string | null;
  /** Events about the pod (any order); Unhealthy ones tell which probe fails and why. */
  events: readonly EventView[];
  now: number;
}

function exitText(t: { reason?: string; exitCode?: number; signal?: number }): string {
  const reason = t.reason ?? (t.signal ? `Signal:${t.signal}` : 'Error');
  return `${reason} (exit code ${t.exitCode ?? '?'})`;
}

function containerView(
  status: V1ContainerStatus | undefined,
  name: string,
  image: string,
  init: boolean,
): ContainerView {
  const state = status?.state;
  const last = status?.lastState?.terminated;
  const kind = state?.running ? 'running' : state?.waiting ? 'waiting' : state?.terminated ? 'terminated' : 'unknown';
  return {
    name,
    init,
    image: status?.image || image,
    ready: status?.ready ?? false,
    restarts: status?.restartCount ?? 0,
    state: kind,
    reason: state?.waiting?.reason ?? state?.terminated?.reason ?? null,
    message: state?.waiting?.message ?? state?.terminated?.message ?? null,
    started_at: millis(state?.running?.startedAt),
    last_termination: last
      ? {
          reason: last.reason ?? 'Unknown',
          exit_code: last.exitCode ?? 0,
          started_at: millis(last.startedAt),
          finished_at: millis(last.finishedAt),
        }
      : null,
  };
}

/** The STATUS column of `kubectl get pods`, following kubectl's printPod. */
export function kubectlStatus(pod: V1Pod): string {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || 'Unknown';
  const initStatuses = status.initContainerStatuses ?? [];
  const initCount = pod.spec?.initContainers?.length ?? 0;
  let initializing = false;
  for (const [i, c] of initStatuses.entries()) {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    initializing = true;
    if (t)
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing')
      reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${initCount}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const statuses = [...(status.containerStatuses ?? [])].reverse();
    for (const c of statuses) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) {
        const t = c.state.terminated;
        reason = t.reason || (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
      } else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function containerProblems(
  pod: V1Pod,
  c: V1ContainerStatus,
  specImage: string,
  memoryLimit: string | undefined,
  events: readonly EventView[],
  now: number,
): Problem[] {
  const problems: Problem[] = [];
  const waiting = c.state?.waiting;
  const last = c.lastState?.terminated;
  const current = c.state?.terminated;
  const lastAt = millis(last?.finishedAt);
  const name = c.name;
  if (waiting?.reason === 'CrashLoopBackOff') {
    problems.push({
      code: 'crash_loop',
      severity: 'critical',
      container: name,
      message: `${name} is crash-looping: restarted ${c.restartCount} times${last ? `, last exit ${exitText(last)}` : ''}${
        last?.message ? `: ${last.message.trim().slice(0, 300)}` : ''
      }`,
      since_at: lastAt,
    });
  }
  const oom = current?.reason === 'OOMKilled' ? current : last?.reason === 'OOMKilled' ? last : undefined;
  if (oom) {
    const at = millis(oom.finishedAt);
    const recent = at !== null && now - at < RECENT_MS;
    problems.push({
      code: 'oom_killed',
      severity: recent ? 'critical' : 'warning',
      container: name,
      message: `${name} was OOMKilled (exit code ${oom.exitCode ?? 137})${
        memoryLimit ? `; memory limit ${memoryLimit}` : '; no memory limit set'
      }`,
      since_at: at,
    });
  }
  if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
    problems.push({
      code: 'image_pull',
      severity: 'critical',
      container: name,
      message: `${name} cannot pull image ${c.image || specImage}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`,
      since_at: null,
    });
  }
  if (waiting?.reason && CONFIG_ERRORS.has(waiting.reason)) {
    problems.push({
      code: 'config_error',
      severity: 'critical',
      container: name,
      message: `${name} cannot start: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`,
      since_at: null,
    });
  }
  const covered = problems.some((p) => p.code === 'crash_loop' || p.code === 'oom_killed');
  if (!covered && (c.restartCount ?? 0) > 0 && lastAt !== null && now - lastAt < RECENT_MS) {
    problems.push({
      code: 'restarts',
      severity: 'warning',
      container: name,
      message: `${name} restarted ${c.restartCount} times${last ? `, last after ${exitText(last)}` : ''}`,
      since_at: lastAt,
    });
  }
  // Probes: a running container that is not ready is failing its readiness (or startup) probe;
  // the kubelet's Unhealthy events say which probe and why, liveness failures included.
  const probeEvents = events
    .filter(
      (e) =>
        e.reason === 'Unhealthy' &&
        now - e.last_at < PROBE_EVENT_MS &&
        (e.regarding.field_path === null || e.regarding.field_path === `spec.containers{${name}}`),
    )
    .sort((a, b) => b.last_at - a.last_at);
  const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  const notReady = c.state?.running !== undefined && !c.ready && !terminating;
  const latest = probeEvents[0];
  if (notReady || (latest && /^Liveness probe failed/.test(latest.note))) {
    problems.push({
      code: 'probe_failing',
      severity: 'warning',
      container: name,
      message: latest
        ? `${name}: ${latest.note.trim().slice(0, 300)}${latest.count > 1 ? ` (${latest.count} times)` : ''}`
        : `${name} is running but not ready (readiness probe failing)`,
      since_at: latest ? latest.first_at : null,
    });
  }
  return problems;
}

function podProblems(pod: V1Pod, events: readonly EventView[], now: number): Problem[] {
  const problems: Problem[] = [];
  const spec = pod.spec;
  const status = pod.status ?? {};
  const specs = new Map(
    [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => [c.name, c] as const),
  );
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const s = specs.get(c.name);
    problems.push(...containerProblems(pod, c, s?.image ?? '', s?.resources?.limits?.memory, events, now));
  }
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    problems.push({
      code: 'unschedulable',
      severity: 'critical',
      container: null,
      message: `Pending: cannot be scheduled: ${scheduled.message ?? 'no node fits'}`,
      since_at: millis(scheduled.lastTransitionTime),
    });
  }
  if (status.phase === 'Failed') {
    const evicted = status.reason === 'Evicted';
    problems.push({
      code: evicted ? 'evicted' : 'failed',
      severity: 'critical',
      container: null,
      message: `${evicted ? 'Evicted' : 'Failed'}${status.message ? `: ${status.message}` : status.reason ? `: ${status.reason}` : ''}`,
      since_at: null,
    });
  }
  const created = millis(pod.metadata?.creationTimestamp) ?? now;
  if (status.phase === 'Pending' && problems.length === 0 && now - created > PENDING_MS) {
    const waitingReasons = (status.containerStatuses ?? [])
      .map((c) => c.state?.waiting?.reason)
      .filter((r): r is string => Boolean(r));
    problems.push({
      code: 'pending',
      severity: 'warning',
      container: null,
      message: `Still pending ${PENDING_MS / 60_000} minutes after creation${waitingReasons.length ? `: ${[...new Set(waitingReasons)].join(', ')}` : ''}`,
      since_at: created,
    });
  }
  const deleting = millis(pod.metadata?.deletionTimestamp);
  if (deleting !== null) {
    // deletionTimestamp is when the grace period ends; a minute past it the pod is stuck.
    if (now - deleting > 60_000) {
      problems.push({
        code: 'terminating_stuck',
        severity: 'warning',
        container: null,
        message: 'Still terminating a minute past its grace period (finalizers, or an unreachable node?)',
        since_at: deleting,
      });
    }
  }
  return problems.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || CODE_RANK[a.code] - CODE_RANK[b.code],
  );
}

export function severityRank(severity: 'critical' | 'warning' | 'ok'): number {
  return severity === 'critical' ? 2 : severity === 'warning' ? 1 : 0;
}

export function worstSeverity(
  problems: readonly { severity: 'critical' | 'warning' }[],
): 'critical' | 'warning' | 'ok' {
  if (problems.some((p) => p.severity === 'critical')) return 'critical';
  return problems.length > 0 ? 'warning' : 'ok';
}

export function describePod(pod: V1Pod, context: PodContext): PodView {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const statuses = new Map((status.containerStatuses ?? []).map((c) => [c.name, c] as const));
  const initStatuses = new Map((status.initContainerStatuses ?? []).map((c) => [c.name, c] as const));
  const containers = [
    ...(spec?.initContainers ?? []).map((c) => containerView(initStatuses.get(c.name), c.name, c.image ?? '', true)),
    ...(spec?.containers ?? []).map((c) => containerView(statuses.get(c.name), c.name, c.image ?? '', false)),
  ];
  const regular = containers.filter((c) => !c.init);
  const problems = podProblems(pod, context.events, context.now);
  const lastRestart = Math.max(
    -1,
    ...containers.map((c) => (c.restarts > 0 ? (c.last_termination?.finished_at ?? -1) : -1)),
  );
  return {
    namespace: namespaceOf(pod),
    name: nameOf(pod),
    uid: uidOf(pod),
    status: kubectlStatus(pod),
    phase: status.phase ?? 'Unknown',
    severity: worstSeverity(problems),
    ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    ready_containers: regular.filter((c) => c.ready).length,
    total_containers: regular.length,
    restarts: regular.reduce((sum, c) => sum + c.restarts, 0),
    last_restart_at: lastRestart >= 0 ? lastRestart : null,
    node: spec?.nodeName ?? null,
    pod_ip: status.podIP ?? null,
    created_at: millis(pod.metadata?.creationTimestamp) ?? 0,
    started_at: millis(status.startTime),
    deleting: millis(pod.metadata?.deletionTimestamp) !== null,
    app: context.app,
    workload: context.workload,
    services: context.services,
    instance_ids: context.instanceIds,
    problems,
    containers,
    labels: labelsOf(pod),
  };
}

/** Problems first: critical, then warning, then by restarts, then by namespace and name. */
export function comparePods(a: PodView, b: PodView): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.problems[0] && b.problems[0] ? CODE_RANK[a.problems[0].code] - CODE_RANK[b.problems[0].code] : 0) ||
    b.restarts - a.restarts ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}
