// Token sign-in. Also says plainly when the server needs no token (open mode) or cannot be
// reached, so nobody hunts for a token that does not exist.
import type { Metadata } from 'next';
import Link from 'next/link';
import { safeNextPath } from '../../lib/auth';
import { webSettings } from '../../lib/settings';
import { checkToken } from '../../lib/token-check';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : '/');
  const { apiUrl } = webSettings();
  const anonymous = await checkToken(apiUrl, undefined);
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-line bg-panel p-6 shadow-sm">
        <h1 className="mb-1 flex items-center gap-2 text-lg font-semibold">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-accent" />
          Sign in to Signalbox
        </h1>
        <p className="mb-5 text-sm text-muted">
          Paste an API token (viewer, operator or admin). An admin creates one with{' '}
          <code className="font-mono">signalbox-server token create</code>.
        </p>
        {params.signed_out === '1' && (
          <p role="status" className="mb-4 rounded-md bg-raised px-3 py-2 text-sm">
            You are signed out.
          </p>
        )}
        {anonymous.ok && anonymous.who.open_mode && (
          <p role="status" className="mb-4 rounded-md border border-amber-500/40 bg-amber-500/10 px-3 py-2 text-sm">
            This server runs in open mode (no tokens configured), so no token is needed.{' '}
            <Link href={next} className="font-medium text-accent underline">
              Go to the dashboard
            </Link>
          </p>
        )}
        {!anonymous.ok && anonymous.reason === 'unreachable' && (
          <p role="alert" className="mb-4 rounded-md border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm">
            {anonymous.detail} Start signalbox-server or set SIGNALBOX_API_URL for the dashboard.
          </p>
        )}
        <SignInForm next={next} />
      </div>
    </main>
  );
}
