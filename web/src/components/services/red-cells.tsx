'use client';
// Rate, error and p95 sparklines of one service, for a row of the services list.
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { lastValue, Sparkline } from '../common/sparkline';
import { RED_COLORS } from './red-colors';
import { useServiceRed } from './use-red';

function Cell({ children }: { children: React.ReactNode }) {
  return <div className="flex items-center justify-end gap-2 tabular-nums">{children}</div>;
}

export function RedCells({ name }: { name: string }) {
  const red = useServiceRed(name);
  if (red.error) return <span className="text-xs text-muted">RED unavailable</span>;
  if (!red.data) return <span className="inline-block h-6 w-72 animate-pulse rounded bg-raised" aria-hidden="true" />;
  const { series } = red.data;
  const total = series.requests.reduce((a, b) => a + b, 0);
  if (total === 0) return <span className="text-xs text-muted">no traffic in this window</span>;
  const errors = series.errors.reduce((a, b) => a + b, 0);
  const rate = lastValue(series.rate);
  const p95 = lastValue(series.p95_ms);
  return (
    <div className="flex items-center gap-4">
      <Cell>
        <span style={{ color: RED_COLORS.rate }}>
          <Sparkline values={series.rate} label={`${name} requests per second`} width={64} />
        </span>
        <span className="w-16 text-xs">{rate === null ? '–' : formatRate(rate)}</span>
      </Cell>
      <Cell>
        <span style={{ color: RED_COLORS.errors }}>
          <Sparkline values={series.error_rate} label={`${name} error rate`} width={64} max={1} />
        </span>
        <span className="w-12 text-xs">{formatPercent(errors / total)}</span>
      </Cell>
      <Cell>
        <span style={{ color: RED_COLORS.p95 }}>
          <Sparkline values={series.p95_ms} label={`${name} p95 latency`} width={64} />
        </span>
        <span className="w-16 text-xs">{p95 === null ? '–' : formatDuration(p95)}</span>
      </Cell>
    </div>
  );
}
