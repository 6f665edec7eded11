'use client';
// Everything about one span: timing, status, attributes, events, links, resource, scope.
import Link from 'next/link';
import { formatDuration, nanosToMs } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import type { SpanNode } from '../../lib/span-tree';
import type { TraceSpan } from '../../lib/trace-model';
import { selfTimeMs } from '../../lib/trace-statistics';
import { AttributeTable } from '../common/attribute-table';
import { Icon } from '../common/icons';
import { useGlobalHref } from '../frame/url-state';

function Section({ title, children, open = true }: { title: string; children: React.ReactNode; open?: boolean }) {
  return (
    <details open={open} className="border-t border-line py-2">
      <summary className="cursor-pointer text-xs font-medium uppercase tracking-wider text-muted">{title}</summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}

export function SpanDetails({
  node,
  startNs,
  critical,
  onClose,
}: {
  node: SpanNode<TraceSpan>;
  /** The span's start, epoch ns (its events' times are shown from it). */
  startNs: bigint;
  critical: boolean;
  onClose(): void;
}) {
  const href = useGlobalHref();
  const { span } = node;
  return (
    <section aria-label="Span details" className="rounded-lg border border-line bg-panel p-4">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-xs font-medium" style={{ color: serviceColor(span.service) }}>
            {span.service} · {span.kind}
          </p>
          <h2 className="break-words text-base font-semibold">{span.name}</h2>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close the span details"
          className="rounded p-1 hover:bg-raised"
        >
          <Icon name="close" />
        </button>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">Duration</dt>
        <dd>
          {formatDuration(node.end - node.start)}
          {node.children.length > 0 && (
            <span className="text-muted" title="The duration less the time its child spans cover">
              {' '}
              · self {formatDuration(selfTimeMs(node))}
            </span>
          )}
        </dd>
        <dt className="text-muted">Starts at</dt>
        <dd>+{formatDuration(node.start)} into the trace</dd>
        <dt className="text-muted">Status</dt>
        <dd className={span.status === 'error' ? 'text-red-600 dark:text-red-400' : ''}>
          {span.status}
          {span.status_message && `: ${span.status_message}`}
        </dd>
        {critical && (
          <>
            <dt className="text-muted">Critical path</dt>
            <dd>on it: this span decided when its parent finished</dd>
          </>
        )}
        <dt className="text-muted">Span id</dt>
        <dd className="font-mono text-xs">{span.span_id}</dd>
        {span.parent_span_id && (
          <>
            <dt className="text-muted">Parent</dt>
            <dd className="font-mono text-xs">{span.parent_span_id}</dd>
          </>
        )}
      </dl>
      <Section title={`Attributes (${Object.keys(span.attributes).length})`}>
        <AttributeTable attributes={span.attributes} label="Span attributes" />
      </Section>
      {span.events.length > 0 && (
        <Section title={`Events (${span.events.length})`}>
          <ol className="flex flex-col gap-2">
            {span.events.map((event) => (
              <li key={`${event.time_ns}-${event.name}`}>
                <p className="text-sm">
                  <span className="font-mono text-xs text-muted">
                    +{formatDuration(nanosToMs((BigInt(event.time_ns) - startNs).toString()))}
                  </span>{' '}
                  <strong className={event.name === 'exception' ? 'text-red-600 dark:text-red-400' : ''}>
                    {event.name}
                  </strong>
                </p>
                <AttributeTable attributes={event.attributes} label={`Attributes of event ${event.name}`} />
              </li>
            ))}
          </ol>
        </Section>
      )}
      {span.links.length > 0 && (
        <Section title={`Links (${span.links.length})`}>
          <ul className="flex flex-col gap-1 text-xs">
            {span.links.map((link) => (
              <li key={`${link.trace_id}-${link.span_id}`}>
                <Link
                  href={href(`/traces/${link.trace_id}?span=${link.span_id}`)}
                  className="font-mono text-accent hover:underline"
                >
                  {link.trace_id.slice(0, 16)}… / {link.span_id}
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
      <Section title={`Resource (${Object.keys(span.resource).length})`} open={false}>
        <AttributeTable attributes={span.resource} label="Resource attributes" />
      </Section>
      <Section title="Instrumentation scope" open={false}>
        <p className="font-mono text-xs">
          {span.scope.name || '–'} {span.scope.version}
        </p>
      </Section>
    </section>
  );
}
