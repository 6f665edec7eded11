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

/** The keys that together name the time window: a preset, or a fixed from and to. */
const WINDOW_PARAMS: readonly string[] = ['range', 'from', 'to'];

/**
 * `href` with the global parameters of `current` carried over, unless href sets them itself. The
 * time window goes as one: a link that names its own (a preset, or from and to) takes none of the
 * current one's keys, since a fixed window carried beside a preset would win over it.
 */
export function withGlobalParams(href: string, current: URLSearchParams | string): string {
  const source = new URLSearchParams(current);
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const target = new URLSearchParams(query);
  const ownWindow = WINDOW_PARAMS.some((key) => target.has(key));
  for (const key of GLOBAL_PARAMS) {
    if (ownWindow && WINDOW_PARAMS.includes(key)) continue;
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
