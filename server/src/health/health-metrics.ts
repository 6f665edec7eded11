// Metrics of the checker beyond the shared ones in metrics/metrics.ts (checks run, failed,
// duration, instances by status): how late probes start against their schedule, slots skipped
// under overload, and what the limiter and the leases hold right now.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface HealthMetrics {
  lateness: Histogram;
  skipped: Counter;
}

export function createHealthMetrics(
  registry: Registry,
  read: { inFlight(): number; queued(): number; shards(): number },
): HealthMetrics {
  const registers = [registry];
  new Gauge({
    name: 'signalbox_checks_in_flight',
    help: 'Health check probes running now',
    registers,
    collect() {
      this.set(read.inFlight());
    },
  });
  new Gauge({
    name: 'signalbox_checks_queued',
    help: 'Health check probes due and waiting for a concurrency slot',
    registers,
    collect() {
      this.set(read.queued());
    },
  });
  new Gauge({
    name: 'signalbox_check_shards_owned',
    help: 'Check target shards this replica holds a lease on',
    registers,
    collect() {
      this.set(read.shards());
    },
  });
  return {
    lateness: new Histogram({
      name: 'signalbox_check_lateness_seconds',
      help: 'How long after its scheduled time (slot plus jitter) a probe started',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    }),
    skipped: new Counter({
      name: 'signalbox_check_slots_skipped_total',
      help: 'Check slots skipped because the previous probe of the check ran past them',
      registers,
    }),
  };
}
