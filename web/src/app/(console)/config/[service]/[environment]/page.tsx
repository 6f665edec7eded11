import type { Metadata } from 'next';
import { ConfigView } from '../../../../../components/config/config-view';

type Props = { params: Promise<{ service: string; environment: string }> };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { service, environment } = await params;
  return { title: `${decode(service)} / ${decode(environment)} configuration` };
}

export default async function ConfigDocumentPage({ params }: Props) {
  const { service, environment } = await params;
  return <ConfigView service={decode(service)} environment={decode(environment)} />;
}
