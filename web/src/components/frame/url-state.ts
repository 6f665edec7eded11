'use client';
// Filters and selection live in the URL so every view is a link. Pages read them with
// useSearchParams and change them through update(): push for a deliberate change (a search,
// a selection) so Back undoes it, replace for incidental ones. The native history API is used
// (Next.js syncs useSearchParams with it): a query change re-renders the client views without a
// server round trip, since the pages read their parameters on the client.
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { patchQuery, toHref, withGlobalParams } from '../../lib/url';

type Patch = Parameters<typeof patchQuery>[1];

export function useUrlState() {
  const params = useSearchParams();
  const pathname = usePathname();
  const update = useCallback(
    (patch: Patch, options: { history?: 'push' | 'replace' } = {}) => {
      const href = toHref(pathname, patchQuery(params, patch));
      if (options.history === 'replace') window.history.replaceState(null, '', href);
      else window.history.pushState(null, '', href);
    },
    [params, pathname],
  );
  return { params, update };
}

/**
 * The value a control shows when the URL holds it: the user's choice at once, then whatever the
 * URL says when it changes (Back, a link, a "clear" button). Next.js applies a history change in
 * a transition, so a control bound to the URL alone shows its old value until that render, and
 * a checkbox flickers back (a test's check() sees it unchanged).
 */
export function useUrlValue<T>(fromUrl: T): [T, (value: T) => void] {
  const [value, setValue] = useState(fromUrl);
  const [followed, setFollowed] = useState(fromUrl);
  if (!Object.is(followed, fromUrl)) {
    // Adjusting state while rendering, as React advises for state that follows a prop.
    setFollowed(fromUrl);
    setValue(fromUrl);
  }
  return [value, setValue];
}

/** A link target that keeps the current time window and refresh setting. */
export function useGlobalHref(): (href: string) => string {
  const params = useSearchParams();
  return useCallback((href: string) => withGlobalParams(href, params), [params]);
}
