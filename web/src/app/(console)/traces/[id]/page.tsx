import type { Metadata } from 'next';
import { preload } from 'react-dom';
import { TraceView } from '../../../../components/traces/trace-view';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Trace ${(await params).id.slice(0, 8)}` };
}

export default async function TracePage({ params }: Props) {
  const traceId = (await params).id.toLowerCase();
  // A big trace takes the API a while: the browser starts fetching it with the HTML, while the
  // page's JavaScript loads, and the client's identical request is answered from that preload.
  if (/^[0-9a-f]{32}$/.test(traceId))
    preload(`/api/v1/traces/${traceId}/compact`, { as: 'fetch', crossOrigin: 'anonymous' });
  return <TraceView traceId={traceId} />;
}
