import type { Metadata } from 'next';
import { TraceCompare } from '../../../../components/traces/trace-compare';

export const metadata: Metadata = { title: 'Compare traces' };

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value.toLowerCase() : '');
  return <TraceCompare a={one(params.a)} b={one(params.b)} />;
}
