// The console frame: left navigation, a top bar with go-to-trace, the time window, refresh, theme
// and the account, and the page. Server component; the interactive parts are small client leaves.
import { cookies } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { RefreshControl } from '../../components/frame/refresh-control';
import { Sidebar } from '../../components/frame/sidebar';
import { ThemeToggle } from '../../components/frame/theme-toggle';
import { TimeProvider } from '../../components/frame/time-context';
import { TimeRangePicker } from '../../components/frame/time-range-picker';
import { TraceLookup } from '../../components/frame/trace-lookup';
import { TOKEN_COOKIE } from '../../lib/auth';
import { webSettings } from '../../lib/settings';
import { checkToken } from '../../lib/token-check';
import { signOut } from '../sign-in/actions';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const token = (await cookies()).get(TOKEN_COOKIE)?.value;
  // Who the token is, for the frame (the pages' own requests decide access: a 401 there sends
  // the user back to sign in).
  const who = token ? await checkToken(webSettings().apiUrl, token) : undefined;
  return (
    <TimeProvider>
      <div className="flex min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-panel focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <Sidebar />
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="sticky top-0 z-20 flex items-center justify-end gap-2 border-b border-line bg-canvas/90 px-6 py-2 backdrop-blur">
            <TraceLookup />
            <TimeRangePicker />
            <RefreshControl />
            <ThemeToggle />
            {who?.ok && (
              <span className="text-sm text-muted" data-testid="identity">
                {who.who.name}
                {who.who.role && <span className="ml-1 rounded bg-raised px-1.5 py-0.5 text-xs">{who.who.role}</span>}
              </span>
            )}
            {token ? (
              <form action={signOut}>
                <button
                  type="submit"
                  className="rounded-md px-2.5 py-1.5 text-sm text-muted hover:bg-raised hover:text-fg"
                >
                  Sign out
                </button>
              </form>
            ) : (
              <Link
                href="/sign-in"
                className="rounded-md px-2.5 py-1.5 text-sm text-muted hover:bg-raised hover:text-fg"
              >
                Sign in
              </Link>
            )}
          </header>
          <main id="main" className="mx-auto w-full max-w-[1600px] flex-1 px-6 py-5">
            {children}
          </main>
        </div>
      </div>
    </TimeProvider>
  );
}
