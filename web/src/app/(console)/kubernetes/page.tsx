import type { Metadata } from 'next';
import { NamespacesView } from '../../../components/kubernetes/namespaces-view';

export const metadata: Metadata = { title: 'Kubernetes' };

export default function KubernetesPage() {
  return <NamespacesView />;
}
