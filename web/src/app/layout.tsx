// The document shell: theme applied before first paint, client providers. The console frame
// (navigation, time picker) is in (console)/layout.tsx; the sign-in page has none.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '../components/frame/providers';
import { themeScript } from '../lib/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Signalbox', template: '%s · Signalbox' },
  description: 'Fleet status, topology, traces and logs of your services',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script of our own */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-w-[1024px] bg-canvas font-sans text-fg antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
