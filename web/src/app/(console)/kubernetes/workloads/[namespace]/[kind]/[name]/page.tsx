import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { decodeSegment, workloadKind } from '../../../../../../../components/kubernetes/route-params';
import { WorkloadView } from '../../../../../../../components/kubernetes/workload-view';

type Props = { params: Promise<{ namespace: string; kind: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).name) };
}

export default async function WorkloadPage({ params }: Props) {
  const { namespace, kind, name } = await params;
  const parsed = workloadKind(kind);
  if (!parsed) notFound();
  return <WorkloadView namespace={decodeSegment(namespace)} kind={parsed} name={decodeSegment(name)} />;
}
