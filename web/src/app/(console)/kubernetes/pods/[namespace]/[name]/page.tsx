import type { Metadata } from 'next';
import { PodView } from '../../../../../../components/kubernetes/pod-view';
import { decodeSegment } from '../../../../../../components/kubernetes/route-params';

type Props = { params: Promise<{ namespace: string; name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).name) };
}

export default async function PodPage({ params }: Props) {
  const { namespace, name } = await params;
  return <PodView namespace={decodeSegment(namespace)} name={decodeSegment(name)} />;
}
