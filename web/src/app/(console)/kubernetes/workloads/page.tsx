import type { Metadata } from 'next';
import { WorkloadsView } from '../../../../components/kubernetes/workloads-view';

export const metadata: Metadata = { title: 'Workloads' };

export default function WorkloadsPage() {
  return <WorkloadsView />;
}
