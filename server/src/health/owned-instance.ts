// In-memory state of an instance whose shard this replica holds: its checks (threshold state,
// last result, place in the schedule), heartbeat, outside statuses and current status. Probes
// change it many times a second; the store hears about it only on transitions and in the
// periodic result flush.
import type { CheckResultRow, InstanceRecord } from '../registry/instance-store.js';
import { parseAddress } from '../registry/registration.js';
import type { Status } from '../registry/status.js';
import type { ExternalStatus, StatusInputs } from '../registry/status-sources.js';
import { type CheckDefinition, parseStatusRanges } from './checks.js';
import { type Target, targetOf } from './probes.js';
import { FlapWindow, initialThresholdState, type ThresholdState } from './thresholds.js';

export class CheckRun {
  readonly ranges: Array<[number, number]>;
  readonly state: ThresholdState;
  /** Result of the last probe; one object per run, updated in place (no garbage per probe). */
  last: CheckResultRow | null;
  /** Bumped when the run is cancelled: queued timers and in-flight probes of older generations are ignored. */
  generation = 0;
  /** The generation this run had when it was put in the schedule. */
  scheduledGeneration = 0;
  /** Slot of the next probe (without jitter) and its due time (with jitter). */
  slot = 0;
  due = 0;
  /** HTTP request headers, built once. */
  readonly headers: Record<string, string>;

  constructor(
    readonly instance: OwnedInstance,
    readonly def: CheckDefinition,
    userAgent: string,
    seed?: CheckResultRow,
  ) {
    this.ranges = def.type === 'http' ? (parseStatusRanges(def.expectedStatus) ?? [[200, 399]]) : [];
    this.headers = def.type === 'http' ? { 'user-agent': userAgent, ...def.headers } : {};
    this.state = initialThresholdState(seed?.status ?? 'unknown');
    this.last = seed ? { ...seed } : null;
  }

  cancel(): void {
    this.generation++;
  }
}

export class OwnedInstance {
  readonly id: string;
  readonly shard: number;
  readonly registeredAt: number;
  service: string;
  address: string;
  target: Target;
  ttlMs: number | null;
  deregisterAfterMs: number;
  updatedAt: number;
  lastHeartbeatAt: number | null;
  external: Record<string, ExternalStatus>;
  readonly checks = new Map<string, CheckRun>();
  status: Status;
  statusReason: string;
  statusSource: string;
  statusSince: number;
  flapping: boolean;
  readonly flaps: FlapWindow;

  constructor(record: InstanceRecord, flapThreshold: number, flapWindowMs: number) {
    this.id = record.id;
    this.shard = record.shard;
    this.registeredAt = record.registeredAt;
    this.service = record.service;
    this.address = record.address;
    this.target = targetOf(parseAddress(record.address) ?? { host: record.address, port: 0 });
    this.ttlMs = record.ttlMs;
    this.deregisterAfterMs = record.deregisterAfterMs;
    this.updatedAt = record.updatedAt;
    this.lastHeartbeatAt = record.lastHeartbeatAt;
    this.external = record.external;
    this.status = record.status;
    this.statusReason = record.statusReason ?? '';
    this.statusSource = record.statusSource ?? 'registration';
    this.statusSince = record.statusSince;
    this.flapping = record.flapping;
    this.flaps = new FlapWindow(flapThreshold, flapWindowMs);
  }

  /** Takes a newer registration (address, TTL, outside statuses…); checks are reconciled by the caller. */
  update(record: InstanceRecord): void {
    this.service = record.service;
    if (record.address !== this.address) {
      this.address = record.address;
      this.target = targetOf(parseAddress(record.address) ?? { host: record.address, port: 0 });
    }
    this.ttlMs = record.ttlMs;
    this.deregisterAfterMs = record.deregisterAfterMs;
    this.updatedAt = record.updatedAt;
    this.external = record.external;
    this.heartbeat(record.lastHeartbeatAt);
  }

  heartbeat(at: number | null): void {
    if (at !== null && at > (this.lastHeartbeatAt ?? 0)) this.lastHeartbeatAt = at;
  }

  inputs(): StatusInputs {
    const checks = [];
    for (const run of this.checks.values()) {
      checks.push({
        id: run.def.id,
        name: run.def.name,
        status: run.state.status,
        output: run.last?.output ?? null,
        checkedAt: run.last?.checkedAt ?? null,
      });
    }
    return {
      checks,
      ttlMs: this.ttlMs,
      lastHeartbeatAt: this.lastHeartbeatAt,
      registeredAt: this.registeredAt,
      external: this.external,
    };
  }
}
