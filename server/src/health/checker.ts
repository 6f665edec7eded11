// The active health checker of one replica. It probes the instances of the shards it holds a
// lease on (leases.ts), keeping everything about them in memory (owned-instance.ts):
//
// - schedule: one min-heap of due times and one timer for its top, not a timer per check;
//   each check runs at fixed slots (interval apart, plus jitter), so a late probe does not
//   push later ones back, and slots missed entirely are skipped and counted;
// - probes run through a limiter (global concurrency, per-target cap) so a slow target never
//   delays anyone else's schedule;
// - a probe result updates the check's threshold state; only when a check changes state is the
//   instance's status re-decided (worst of checks, TTL, outside sources), and only a changed
//   status is written (with its history row);
// - the last results go to the store in periodic batches;
// - every second a sweep turns missed TTLs critical (asking the store for heartbeats that other
//   replicas received), removes instances critical for longer than deregister_after, and
//   clears flapping once the window has passed; a sync picks up registrations written by
//   other replicas.
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import { formatDuration } from '../registry/durations.js';
import type { CheckResultRow, InstanceRecord, InstanceStore } from '../registry/instance-store.js';
import type { InstanceChangeKind, LiveInstanceState, LocalChecker } from '../registry/registry-service.js';
import { emptyCounts, STATUSES, type StatusCounts } from '../registry/status.js';
import { decideStatus, ttlMissed } from '../registry/status-sources.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store/store.js';
import { ChangeWriter } from './change-writer.js';
import { sameCheck } from './checks.js';
import { createHealthMetrics, type HealthMetrics } from './health-metrics.js';
import { LeaseManager } from './leases.js';
import { ProbeLimiter } from './limiter.js';
import { MinHeap } from './min-heap.js';
import { CheckRun, OwnedInstance } from './owned-instance.js';
import { type ProbeResult, Prober } from './probes.js';
import { ResultWriter } from './result-writer.js';
import { applyOutcome } from './thresholds.js';

/** How often the store is asked for registrations written by other replicas. */
const SYNC_INTERVAL_MS = 1000;
/** Re-read this far back on each sync: covers commit delays and small clock differences. */
const SYNC_OVERLAP_MS = 2000;
const SWEEP_INTERVAL_MS = 1000;
const RESULT_FLUSH_INTERVAL_MS = 5000;
/** After a takeover, overdue checks are spread over this much (at most) instead of a burst. */
const TAKEOVER_SPREAD_MS = 2000;
/** On shutdown, probes in flight get this long to finish before they are cut off. */
const SHUTDOWN_GRACE_MS = 2000;

export interface HealthCheckerOptions {
  store: Store;
  instances: InstanceStore;
  settings: Settings;
  metrics: Metrics;
  logger: Logger;
  replicaId: string;
  userAgent: string;
}

type ScheduleMode = 'fresh' | 'loaded';

export class HealthChecker implements LocalChecker {
  private readonly owned = new Map<string, OwnedInstance>();
  private readonly heap = new MinHeap<CheckRun>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly limiter: ProbeLimiter;
  private readonly prober: Prober;
  readonly leases: LeaseManager;
  private readonly results: ResultWriter;
  private readonly changes: ChangeWriter;
  private readonly health: HealthMetrics;
  private readonly counts: StatusCounts = emptyCounts();
  private readonly loopTimers = new Map<string, NodeJS.Timeout>();
  private readonly busy = new Set<Promise<unknown>>();
  private syncCursor = 0;
  private started = false;
  private stopped = false;
  private readonly logger: Logger;
  private readonly instances: InstanceStore;
  private readonly settings: Settings;
  private readonly userAgent: string;
  private readonly metrics: Metrics;
  private readonly probeMetrics: Record<
    'http' | 'tcp',
    {
      total: { inc(): void };
      failed: { inc(): void };
      duration: { observe(value: number): void };
    }
  >;

  constructor(options: HealthCheckerOptions) {
    this.logger = options.logger.child({ module: 'health' });
    this.instances = options.instances;
    this.settings = options.settings;
    const concurrency = options.settings.checkConcurrency;
    // One target may use a quarter of the slots: enough for 10,000 checks behind one address,
    // while three hanging targets still leave a quarter for everyone else.
    const perTarget = Math.max(1, Math.ceil(concurrency / 4));
    this.limiter = new ProbeLimiter(concurrency, perTarget);
    this.prober = new Prober(perTarget);
    this.userAgent = options.userAgent;
    this.results = new ResultWriter(options.store);
    this.changes = new ChangeWriter(options.instances, this.logger);
    this.leases = new LeaseManager(
      options.store.db,
      options.replicaId,
      options.settings.leaseTtlMs,
      { lost: (shards) => this.dropShards(shards), gained: (shards) => this.loadShards(shards) },
      this.logger,
    );
    this.health = createHealthMetrics(options.metrics.registry, {
      inFlight: () => this.limiter.inFlight,
      queued: () => this.limiter.queued,
      shards: () => this.leases.shards.size,
    });
    const m = options.metrics;
    this.probeMetrics = {
      http: {
        total: m.checksTotal.labels('http'),
        failed: m.checksFailedTotal.labels('http'),
        duration: m.checkDurationSeconds.labels('http'),
      },
      tcp: {
        total: m.checksTotal.labels('tcp'),
        failed: m.checksFailedTotal.labels('tcp'),
        duration: m.checkDurationSeconds.labels('tcp'),
      },
    };
    for (const status of STATUSES) m.instances.set({ status }, 0);
    this.metrics = m;
  }

  get ownedInstances(): number {
    return this.owned.size;
  }

  async start(): Promise<void> {
    await this.leases.init();
    this.syncCursor = Date.now();
    await this.leases.round();
    this.started = true;
    this.every('leases', Math.max(100, Math.floor(this.settings.leaseTtlMs / 3)), () => this.leases.round());
    this.every('sync', SYNC_INTERVAL_MS, () => this.sync());
    this.every('sweep', SWEEP_INTERVAL_MS, () => this.sweep());
    this.every('results', RESULT_FLUSH_INTERVAL_MS, () => this.results.flush());
    this.logger.info(
      { replica: this.leases.replicaId, shards: this.leases.shards.size, instances: this.owned.size },
      'health checker started',
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.loopTimers.values()) clearTimeout(timer);
    this.loopTimers.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.clear();
    this.limiter.clearQueued();
    await Promise.allSettled([...this.busy]);
    await Promise.race([this.limiter.idle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS))]);
    await this.prober.close();
    const flushes = await Promise.allSettled([this.results.flush(), this.changes.flush()]);
    for (const outcome of flushes) {
      if (outcome.status === 'rejected') this.logger.error({ err: outcome.reason }, 'final flush failed');
    }
    this.changes.stop();
    if (this.started) {
      await this.leases.releaseAll().catch((error) => this.logger.error({ err: error }, 'releasing leases failed'));
    }
  }

  // ---- LocalChecker: changes this replica's registry just wrote ----

  instanceChanged(record: InstanceRecord, kind: InstanceChangeKind): void {
    if (this.stopped || !this.leases.owns(record.shard)) return;
    if (kind === 'heartbeat') {
      const instance = this.owned.get(record.id);
      if (instance) {
        instance.heartbeat(record.lastHeartbeatAt);
        this.evaluate(instance, Date.now());
        return;
      }
    }
    this.apply(record, 'fresh');
  }

  liveState(instanceId: string): LiveInstanceState | undefined {
    const instance = this.owned.get(instanceId);
    if (!instance) return undefined;
    const checks = new Map<string, CheckResultRow>();
    for (const run of instance.checks.values()) if (run.last) checks.set(run.def.id, run.last);
    return {
      status: instance.status,
      statusReason: instance.statusReason,
      statusSource: instance.statusSource,
      statusSince: instance.statusSince,
      flapping: instance.flapping,
      lastHeartbeatAt: instance.lastHeartbeatAt,
      checks,
    };
  }

  // ---- ownership ----

  private dropShards(shards: number[]): void {
    const lost = new Set(shards);
    for (const instance of this.owned.values()) if (lost.has(instance.shard)) this.drop(instance);
  }

  private async loadShards(shards: number[]): Promise<void> {
    const records = await this.instances.liveInShards(shards);
    const results = await this.instances.checkResults(records.map((r) => r.id));
    const since = Date.now() - this.settings.flapWindowMs;
    const transitions = records.some((r) => r.flapping) ? await this.instances.transitionTimesSince(since) : [];
    for (const record of records) {
      if (!this.leases.owns(record.shard)) continue;
      this.apply(record, 'loaded', results.get(record.id));
    }
    for (const { instanceId, at } of transitions) this.owned.get(instanceId)?.flaps.record(at);
    this.logger.debug({ shards: shards.length, instances: records.length }, 'loaded instances of claimed shards');
  }

  /** Takes a registration row: adds, updates or drops the in-memory instance. */
  private apply(record: InstanceRecord, mode: ScheduleMode, seeds?: CheckResultRow[]): void {
    let instance = this.owned.get(record.id);
    if (record.removedAt !== null) {
      if (instance) this.drop(instance);
      return;
    }
    if (instance && instance.registeredAt !== record.registeredAt) {
      // Removed and registered again between two looks: a new life, new state.
      this.drop(instance);
      instance = undefined;
    }
    const now = Date.now();
    if (!instance) {
      instance = new OwnedInstance(record, this.settings.flapTransitions, this.settings.flapWindowMs);
      this.owned.set(record.id, instance);
      this.counts[instance.status]++;
      const seeded = new Map((seeds ?? []).map((s) => [s.checkId, s]));
      for (const def of record.checks) {
        const run = new CheckRun(instance, def, this.userAgent, seeded.get(def.id));
        instance.checks.set(def.id, run);
        this.scheduleFirst(run, mode, now);
      }
      this.evaluate(instance, now);
      return;
    }
    if (record.updatedAt > instance.updatedAt) {
      const addressChanged = record.address !== instance.address;
      instance.update(record);
      const wanted = new Set(record.checks.map((c) => c.id));
      for (const [id, run] of instance.checks) {
        if (!wanted.has(id)) {
          run.cancel();
          instance.checks.delete(id);
        }
      }
      for (const def of record.checks) {
        const current = instance.checks.get(def.id);
        if (current && !addressChanged && sameCheck(current.def, def)) continue;
        current?.cancel();
        const run = new CheckRun(instance, def, this.userAgent);
        instance.checks.set(def.id, run);
        this.scheduleFirst(run, 'fresh', now);
      }
    } else {
      instance.heartbeat(record.lastHeartbeatAt);
    }
    this.evaluate(instance, now);
  }

  private drop(instance: OwnedInstance): void {
    for (const run of instance.checks.values()) run.cancel();
    if (this.owned.delete(instance.id)) this.counts[instance.status]--;
  }

  // ---- status ----

  private evaluate(instance: OwnedInstance, now: number): void {
    const decision = decideStatus(instance.inputs(), now);
    if (decision.status === instance.status) return;
    const from = instance.status;
    this.counts[from]--;
    this.counts[decision.status]++;
    instance.status = decision.status;
    instance.statusReason = decision.reason;
    instance.statusSource = decision.source;
    instance.statusSince = now;
    instance.flaps.record(now);
    instance.flapping = instance.flaps.flapping(now);
    this.changes.push({
      kind: 'status',
      instanceId: instance.id,
      service: instance.service,
      at: now,
      from,
      to: decision.status,
      reason: decision.reason,
      source: decision.source,
      flapping: instance.flapping,
    });
    this.logger.debug(
      { instance: instance.id, from, to: decision.status, source: decision.source, reason: decision.reason },
      'status transition',
    );
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    this.leases.expireIfStale(now);
    const ttlSuspects: OwnedInstance[] = [];
    for (const instance of this.owned.values()) {
      if (instance.status === 'critical' && now - instance.statusSince > instance.deregisterAfterMs) {
        this.changes.push({
          kind: 'removed',
          instanceId: instance.id,
          service: instance.service,
          at: now,
          from: instance.status,
          reason: `critical for longer than deregister_after (${formatDuration(instance.deregisterAfterMs)})`,
          source: 'registry',
        });
        this.drop(instance);
        continue;
      }
      if (instance.ttlMs !== null && ttlMissed(instance.ttlMs, instance.lastHeartbeatAt, instance.registeredAt, now)) {
        ttlSuspects.push(instance);
      }
      if (instance.flapping && !instance.flaps.flapping(now)) {
        instance.flapping = false;
        this.changes.push({ kind: 'flapping', instanceId: instance.id, flapping: false });
      }
    }
    if (ttlSuspects.length > 0) {
      // The heartbeat may have reached another replica: the store has the latest one.
      const beats = await this.instances.lastHeartbeats(ttlSuspects.map((i) => i.id));
      const at = Date.now();
      for (const instance of ttlSuspects) {
        if (this.owned.get(instance.id) !== instance) continue;
        instance.heartbeat(beats.get(instance.id) ?? null);
        this.evaluate(instance, at);
      }
    }
    for (const status of STATUSES) this.metrics.instances.set({ status }, this.counts[status]);
  }

  private async sync(): Promise<void> {
    const startedAt = Date.now();
    const rows = await this.instances.changedByOthersSince(this.syncCursor - SYNC_OVERLAP_MS);
    this.syncCursor = startedAt;
    for (const record of rows) {
      if (this.leases.owns(record.shard)) this.apply(record, 'fresh');
      else {
        const stale = this.owned.get(record.id);
        if (stale) this.drop(stale);
      }
    }
  }

  // ---- schedule ----

  private scheduleFirst(run: CheckRun, mode: ScheduleMode, now: number): void {
    const interval = run.def.intervalMs;
    if (mode === 'fresh') {
      run.slot = now + run.def.initialDelayMs;
    } else {
      // Taken over or restarted: keep the cadence the previous owner had when the last result
      // is recent; otherwise the check is overdue and runs soon, spread out so thousands of
      // overdue checks do not all start in the same millisecond.
      const last = run.last?.checkedAt;
      run.slot =
        last !== undefined && last + interval > now
          ? last + interval
          : now + Math.random() * Math.min(interval / 4, TAKEOVER_SPREAD_MS);
    }
    this.push(run, run.slot + Math.random() * run.def.jitterMs);
  }

  private scheduleNext(run: CheckRun): void {
    const interval = run.def.intervalMs;
    const now = Date.now();
    let slot = run.slot + interval;
    if (slot < now - interval) {
      const missed = Math.floor((now - slot) / interval);
      slot += missed * interval;
      this.health.skipped.inc(missed);
    }
    run.slot = slot;
    this.push(run, slot + Math.random() * run.def.jitterMs);
  }

  private push(run: CheckRun, due: number): void {
    run.due = due;
    run.scheduledGeneration = run.generation;
    this.heap.push(due, run);
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.heap.peekKey();
    if (next === undefined || (this.timer && next >= this.timerAt)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (;;) {
      const next = this.heap.peekKey();
      if (next === undefined || next > now) break;
      const run = this.heap.pop() as CheckRun;
      // Cancelled since it was scheduled: dropped here rather than searched for in the heap.
      if (run.scheduledGeneration !== run.generation) continue;
      this.dispatch(run);
    }
    this.arm();
  }

  private dispatch(run: CheckRun): void {
    const generation = run.generation;
    const instance = run.instance;
    this.limiter.submit(instance.address, async () => {
      if (run.generation !== generation || this.stopped) return;
      const startedAt = Date.now();
      this.health.lateness.observe(Math.max(0, startedAt - run.due) / 1000);
      const result =
        run.def.type === 'http'
          ? await this.prober.http(instance.target, run.def, run.ranges, run.headers)
          : await this.prober.tcp(instance.target, run.def);
      this.complete(run, generation, result, startedAt);
    });
  }

  private complete(run: CheckRun, generation: number, result: ProbeResult, at: number): void {
    const metrics = this.probeMetrics[run.def.type];
    metrics.total.inc();
    if (result.outcome !== 'pass') metrics.failed.inc();
    metrics.duration.observe(result.durationMs / 1000);
    if (run.generation !== generation || this.stopped) return;
    const before = run.state.status;
    const after = applyOutcome(run.state, result.outcome, run.def.healthyThreshold, run.def.unhealthyThreshold);
    let last = run.last;
    if (last === null) {
      last = {
        checkId: run.def.id,
        status: after,
        output: result.output,
        durationMs: result.durationMs,
        checkedAt: at,
      };
      run.last = last;
    } else {
      last.status = after;
      last.output = result.output;
      last.durationMs = result.durationMs;
      last.checkedAt = at;
    }
    this.results.mark(run.instance.id, last);
    if (after !== before) this.evaluate(run.instance, Date.now());
    this.scheduleNext(run);
  }

  // ---- loops ----

  private every(name: string, intervalMs: number, work: () => Promise<unknown>): void {
    const tick = () => {
      this.loopTimers.delete(name);
      if (this.stopped) return;
      const running = work()
        .catch((error) => this.logger.error({ err: error, loop: name }, `health checker ${name} failed; retrying`))
        .finally(() => {
          this.busy.delete(running);
          if (this.stopped) return;
          const timer = setTimeout(tick, intervalMs);
          timer.unref();
          this.loopTimers.set(name, timer);
        });
      this.busy.add(running);
    };
    const timer = setTimeout(tick, intervalMs);
    timer.unref();
    this.loopTimers.set(name, timer);
  }
}
