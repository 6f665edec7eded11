import type { Metadata } from 'next';
import { EventsView } from '../../../../components/kubernetes/events-view';

export const metadata: Metadata = { title: 'Kubernetes events' };

export default function EventsPage() {
  return <EventsView />;
}
