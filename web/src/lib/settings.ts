// The dashboard's one setting: where the Signalbox API lives. Read and validated once, when the
// Next.js server starts (instrumentation.ts refuses to start on a bad value and names it); the
// API proxy and the sign-in action then read the stored value. Never read at import time.

export interface WebSettings {
  /** Origin (and optional base path) of the Signalbox API, without a trailing slash. */
  apiUrl: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

export class WebSettingsError extends Error {
  constructor(message: string) {
    super(`invalid setting SIGNALBOX_API_URL: ${message}`);
    this.name = 'WebSettingsError';
  }
}

export function parseWebSettings(env: Record<string, string | undefined>): WebSettings {
  const raw = env.SIGNALBOX_API_URL?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebSettingsError(`"${raw}" is not a URL; expected e.g. ${DEFAULT_API_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebSettingsError(`expected an http:// or https:// URL, got "${raw}"`);
  }
  if (url.username || url.password) {
    throw new WebSettingsError('must not carry credentials; sign in with an API token instead');
  }
  if (url.search || url.hash) {
    throw new WebSettingsError(`must not have a query or fragment, got "${raw}"`);
  }
  if (/\/api\/v1\/?$/.test(url.pathname)) {
    throw new WebSettingsError(`give the server address without /api/v1, e.g. ${url.origin}`);
  }
  return { apiUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

// Next bundles instrumentation and each route separately, so module state is not shared
// between them; the loaded settings live on globalThis under a private symbol instead.
const KEY = Symbol.for('signalbox.web.settings');
type Holder = { [KEY]?: WebSettings };

/** Parses and stores the settings; called once at server start. Throws WebSettingsError. */
export function loadWebSettings(env: Record<string, string | undefined> = process.env): WebSettings {
  const settings = parseWebSettings(env);
  (globalThis as Holder)[KEY] = settings;
  return settings;
}

/** The settings loaded at start (loads them on first use where no start hook ran, e.g. tests). */
export function webSettings(): WebSettings {
  return (globalThis as Holder)[KEY] ?? loadWebSettings();
}
