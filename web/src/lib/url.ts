// Building links that keep the frame's global parameters (time window, refresh) so moving
// between pages does not lose them, and patching the query string of the current view.
import { GLOBAL_PARAMS } from './time-range';

type Patch = Record<string, string | number | boolean | null | undefined | readonly string[]>;

/** Applies a patch to a query string: null/undefined/'' removes a key, arrays repeat it. */
export function patchQuery(current: URLSearchParams | string, patch: Patch): URLSearchParams {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(patch)) {
    next.delete(key);
    if (value === null || value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value)) for (const item of value) next.append(key, item);
    else next.set(key, String(value));
  }
  return next;
}

/** `href` with the global parameters of `current` carried over (unless href sets them itself). */
export function withGlobalParams(href: string, current: URLSearchParams | string): string {
  const source = new URLSearchParams(current);
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const target = new URLSearchParams(query);
  for (const key of GLOBAL_PARAMS) {
    const value = source.get(key);
    if (value !== null && !target.has(key)) target.set(key, value);
  }
  const search = target.toString();
  return search ? `${path}?${search}` : path;
}

export function toHref(pathname: string, params: URLSearchParams): string {
  const search = params.toString();
  return search ? `${pathname}?${search}` : pathname;
}
