// The topology's SpanListener: each span committed by the telemetry module is counted into the
// minute buckets and the Tempo-named metrics, and offered to the pairer, whose edges are
// counted the same way. Runs on the ingest path, so it does a few map operations per span and
// never throws back into the receiver.
import type { Logger } from 'pino';
import { type CommittedSpan, SpanKind, type SpanListener } from '../telemetry/model.js';
import type { SpanPairer } from './pairing.js';
import { PEER_ATTRIBUTE_KEYS } from './peers.js';
import type { RollupBuffer } from './rollup.js';
import type { TempoMetrics } from './tempo-metrics.js';

export class TopologySpanListener implements SpanListener {
  /** Pairing names the peers of callers and consumers from these; nothing else here reads attributes. */
  readonly attributeKeys = PEER_ATTRIBUTE_KEYS;
  readonly attributeSpanKinds = [SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];

  constructor(
    private readonly rollup: RollupBuffer,
    private readonly pairer: SpanPairer,
    private readonly metrics: TempoMetrics,
    private readonly logger: Logger,
  ) {}

  onSpans(spans: readonly CommittedSpan[]): void {
    try {
      for (const span of spans) {
        this.rollup.addSpan(span);
        this.metrics.observeSpan(span);
        this.pairer.add(span);
      }
    } catch (error) {
      // The spans are already stored; losing their roll-up is better than failing the receiver.
      this.logger.error({ err: error }, 'topology could not count a batch of spans');
    }
  }
}
