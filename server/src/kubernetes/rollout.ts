// Rollout state of workloads, decided the way `kubectl rollout status` decides it, with the
// counts an operator watches during a rollout: desired, current, updated, ready, available,
// unavailable.
import type { V1DaemonSet, V1Deployment, V1ReplicaSet, V1StatefulSet } from '@kubernetes/client-node';
import type { Rollout } from './schemas.js';

function observed(meta: { generation?: number } | undefined, status: { observedGeneration?: number } | undefined) {
  return (status?.observedGeneration ?? 0) >= (meta?.generation ?? 0);
}

export function deploymentRollout(d: V1Deployment): Rollout {
  const status = d.status ?? {};
  const desired = d.spec?.replicas ?? 1;
  const current = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const unavailable = status.unavailableReplicas ?? Math.max(0, current - available);
  const revision = d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? null;
  const counts = { desired, current, updated, ready, available, unavailable, revision };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (d.spec?.paused) return { state: 'paused', message: 'Rollout is paused', ...counts };
  if (!observed(d.metadata, status)) {
    return { state: 'progressing', message: 'Waiting for the deployment spec update to be observed', ...counts };
  }
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'stalled',
      message: progressing.message ?? 'Progress deadline exceeded',
      ...counts,
    };
  }
  if (updated < desired) {
    return { state: 'progressing', message: `${updated} of ${desired} new replicas updated`, ...counts };
  }
  if (current > updated) {
    return { state: 'progressing', message: `${current - updated} old replicas pending termination`, ...counts };
  }
  if (available < updated) {
    return { state: 'progressing', message: `${available} of ${updated} updated replicas available`, ...counts };
  }
  return { state: 'complete', message: `${available} of ${desired} replicas available`, ...counts };
}

export function statefulSetRollout(s: V1StatefulSet): Rollout {
  const status = s.status ?? { replicas: 0 };
  const desired = s.spec?.replicas ?? 1;
  const current = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? ready;
  const unavailable = Math.max(0, desired - available);
  const counts = { desired, current, updated, ready, available, unavailable, revision: status.updateRevision ?? null };
  if (!observed(s.metadata, status)) {
    return { state: 'progressing', message: 'Waiting for the statefulset spec update to be observed', ...counts };
  }
  if (ready < desired) {
    return { state: 'progressing', message: `${ready} of ${desired} pods ready`, ...counts };
  }
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (s.spec?.updateStrategy?.type !== 'OnDelete' && status.updateRevision !== status.currentRevision) {
    if (partition > 0 && updated >= desired - partition) {
      return {
        state: 'complete',
        message: `partitioned rollout: ${updated} new pods (partition ${partition})`,
        ...counts,
      };
    }
    return {
      state: 'progressing',
      message: `${updated} of ${desired} pods at revision ${status.updateRevision ?? '?'}`,
      ...counts,
    };
  }
  return { state: 'complete', message: `${ready} of ${desired} pods ready`, ...counts };
}

export function daemonSetRollout(d: V1DaemonSet): Rollout {
  const status = d.status;
  const desired = status?.desiredNumberScheduled ?? 0;
  const current = status?.currentNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const ready = status?.numberReady ?? 0;
  const available = status?.numberAvailable ?? 0;
  const unavailable = status?.numberUnavailable ?? Math.max(0, desired - available);
  const revision = d.metadata?.annotations?.['deprecated.daemonset.template.generation'] ?? null;
  const counts = { desired, current, updated, ready, available, unavailable, revision };
  if (!observed(d.metadata, status)) {
    return { state: 'progressing', message: 'Waiting for the daemonset spec update to be observed', ...counts };
  }
  if (updated < desired) {
    return { state: 'progressing', message: `${updated} of ${desired} updated pods scheduled`, ...counts };
  }
  if (available < desired) {
    return { state: 'progressing', message: `${available} of ${desired} updated pods available`, ...counts };
  }
  return { state: 'complete', message: `${available} of ${desired} pods available`, ...counts };
}

/** A ReplicaSet without a Deployment above it: it has no rollout, only a replica count to reach. */
export function replicaSetRollout(r: V1ReplicaSet): Rollout {
  const status = r.status ?? { replicas: 0 };
  const desired = r.spec?.replicas ?? 1;
  const current = status.replicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const counts = {
    desired,
    current,
    updated: current,
    ready,
    available,
    unavailable: Math.max(0, desired - available),
    revision: null,
  };
  if (available < desired)
    return { state: 'progressing', message: `${available} of ${desired} replicas available`, ...counts };
  return { state: 'complete', message: `${available} of ${desired} replicas available`, ...counts };
}
