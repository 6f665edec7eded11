import Link from 'next/link';
import { EmptyState } from '../components/common/empty-state';

export default function NotFound() {
  return (
    <main id="main" className="p-6">
      <EmptyState
        title="Nothing here"
        action={
          <Link href="/" className="text-accent underline">
            Go to the dashboard
          </Link>
        }
      >
        This address does not match a page. It may come from an older version of Signalbox, or the thing it pointed to
        is gone.
      </EmptyState>
    </main>
  );
}
