// Which instances are in a rollout's canary. The set is fixed when the rollout starts, from the
// service's live instances in the environment, and stored as a list: a percentage is rounded up
// (as Argo Rollouts does) so a small share of a small fleet still gets one instance, and a
// rollout is refused when nothing could run the canary or nothing would be left to compare it
// against. Percentage picks rank the instances by a hash of rollout id and instance id, so
// successive rollouts pick different instances.
import { createHash } from 'node:crypto';
import { Errors, type ProblemField } from '../errors.js';

export interface CanaryDefinition {
  id: string;
  canary_percent: number | null;
  /** JSON array text of instance ids. */
  canary_instances: string | null;
}

export interface CanaryRequest {
  rolloutId: string;
  service: string;
  environment: string;
  baseVersion: number;
  percent?: number;
  instances?: string[];
}

function rank(rolloutId: string, instanceId: string): number {
  return createHash('sha256').update(`${rolloutId}:${instanceId}`).digest().readUInt32BE(0);
}

export function inCanary(rollout: CanaryDefinition, instanceId: string): boolean {
  if (rollout.canary_instances !== null) {
    return (JSON.parse(rollout.canary_instances) as string[]).includes(instanceId);
  }
  // Rollouts started before the set was stored: membership by hash, as they were started.
  const percent = rollout.canary_percent ?? 0;
  return percent >= 100 || (percent > 0 && rank(rollout.id, instanceId) % 100 < percent);
}

/** Instances the canary gets for `percent` of `count` live instances: rounded up, at least one. */
export function canarySize(percent: number, count: number): number {
  return Math.min(count, Math.max(1, Math.ceil((percent * count) / 100)));
}

/**
 * The canary's instances (sorted), or a 422 saying what to fix: no live instance to run it on,
 * named instances that are not live, or a canary that would take every instance and leave no
 * baseline to compare against.
 */
export function planCanary(request: CanaryRequest, live: readonly string[]): string[] {
  const where = `${request.service} in ${request.environment}`;
  const liveList = [...live].sort();
  const extra = { live_instances: liveList };
  if (liveList.length === 0) {
    throw Errors.unprocessable(
      `${where} has no live instance to run a canary on: start the service's instances (registered with environment ${request.environment}) first, or publish the version without a rollout`,
      { fields: [{ path: '/body/canary', message: 'no live instance' }], extra },
    );
  }
  const noBaseline = (what: string, fix: string) =>
    Errors.unprocessable(
      `${what} is every live instance of ${where} (${liveList.length}): no instance would stay on v${request.baseVersion} as the baseline, so a canary-versus-baseline comparison means nothing. ${fix}, or publish the version to every instance without a rollout`,
      { fields: [{ path: '/body/canary', message: 'leaves no baseline instance' }], extra },
    );
  if (request.instances !== undefined) {
    const liveSet = new Set(liveList);
    const fields: ProblemField[] = request.instances.flatMap((id, i) =>
      liveSet.has(id) ? [] : [{ path: `/body/canary/instances/${i}`, message: `${id} is not a live instance` }],
    );
    if (fields.length > 0) {
      const names = fields.length === 1 ? 'instance' : 'instances';
      throw Errors.unprocessable(
        `canary ${names} ${request.instances.filter((id) => !liveSet.has(id)).join(', ')} not live in ${where}; name live instances (${liveList.join(', ')})`,
        { fields, extra },
      );
    }
    if (request.instances.length >= liveList.length) {
      throw noBaseline('the canary list', 'Leave at least one instance out of the list');
    }
    return [...request.instances].sort();
  }
  const percent = request.percent ?? 0;
  const size = canarySize(percent, liveList.length);
  if (size >= liveList.length) {
    const most = Math.floor((100 * (liveList.length - 1)) / liveList.length);
    throw noBaseline(
      `${percent} % rounded up to whole instances`,
      most >= 1 ? `Lower the percent to ${most} or less` : 'Start a second instance to compare against',
    );
  }
  return liveList
    .map((id) => ({ id, rank: rank(request.rolloutId, id) }))
    .sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id))
    .slice(0, size)
    .map((entry) => entry.id)
    .sort();
}
