import type { Metadata } from 'next';
import { ServiceView } from '../../../../components/services/service-view';

type Props = { params: Promise<{ name: string }> };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decode((await params).name) };
}

export default async function ServicePage({ params }: Props) {
  const name = decode((await params).name);
  return <ServiceView name={name} />;
}
