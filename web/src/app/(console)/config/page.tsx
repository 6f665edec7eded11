import type { Metadata } from 'next';
import { ConfigList } from '../../../components/config/config-list';

export const metadata: Metadata = { title: 'Configuration' };

export default function ConfigPage() {
  return <ConfigList />;
}
