import type { Metadata } from 'next';
import { PodsView } from '../../../../components/kubernetes/pods-view';

export const metadata: Metadata = { title: 'Pods' };

export default function PodsPage() {
  return <PodsView />;
}
