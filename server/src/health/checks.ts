// Health check definitions: the input shape (snake_case, durations as strings, as the API takes
// them), the normalized shape kept in `instances.checks` (milliseconds, every default filled in),
// and the normalization between them. The route schema has already checked types and patterns;
// this adds defaults and the rules that span fields (timeout ≤ interval, http-only fields).
import type { ProblemField } from '../errors.js';
import { formatDuration, parseDuration } from '../registry/durations.js';

export type CheckType = 'http' | 'tcp';

export interface CheckInput {
  id?: string;
  name?: string;
  type: CheckType;
  path?: string;
  method?: string;
  expected_status?: string | number;
  body_contains?: string;
  headers?: Record<string, string>;
  interval?: string;
  timeout?: string;
  jitter?: string;
  healthy_threshold?: number;
  unhealthy_threshold?: number;
  initial_delay?: string;
}

interface CheckBase {
  id: string;
  name: string;
  intervalMs: number;
  timeoutMs: number;
  /** Each probe runs at its slot plus a random offset in [0, jitterMs]. */
  jitterMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  initialDelayMs: number;
}

export interface HttpCheck extends CheckBase {
  type: 'http';
  path: string;
  method: string;
  /** Canonical form, e.g. "200-399" or "200,204". */
  expectedStatus: string;
  bodyContains: string | null;
  headers: Record<string, string>;
}

export interface TcpCheck extends CheckBase {
  type: 'tcp';
}

export type CheckDefinition = HttpCheck | TcpCheck;

export const CHECK_DEFAULTS = {
  intervalMs: 10_000,
  /** Capped at the interval. */
  timeoutMs: 2_000,
  /** Fraction of the interval used as jitter when none is given. */
  jitterFraction: 0.1,
  healthyThreshold: 1,
  unhealthyThreshold: 3,
  initialDelayMs: 0,
  path: '/healthz',
  method: 'GET',
  expectedStatus: '200-399',
} as const;

export const CHECK_LIMITS = {
  minIntervalMs: 100,
  maxIntervalMs: 24 * 3_600_000,
  minTimeoutMs: 10,
  maxThreshold: 100,
  maxInitialDelayMs: 24 * 3_600_000,
} as const;

const HTTP_ONLY = ['path', 'method', 'expected_status', 'body_contains', 'headers'] as const;

/** Status code ranges of an expected_status value, or undefined when it is malformed. */
export function parseStatusRanges(value: string | number): Array<[number, number]> | undefined {
  const text = String(value).replaceAll(' ', '');
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(text)) return undefined;
  const ranges: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const [low, high = low] = part.split('-').map(Number) as [number, number?];
    if (low < 100 || (high as number) > 599 || (high as number) < low) return undefined;
    ranges.push([low, high as number]);
  }
  return ranges;
}

export function statusMatches(ranges: ReadonlyArray<readonly [number, number]>, code: number): boolean {
  for (const [low, high] of ranges) if (code >= low && code <= high) return true;
  return false;
}

/**
 * Normalizes the checks of one registration. Collects every problem (with its field path) rather
 * than stopping at the first, so one 400 names everything to fix.
 */
export function normalizeChecks(
  inputs: readonly CheckInput[],
  address: string,
  fields: ProblemField[],
): CheckDefinition[] {
  const out: CheckDefinition[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const at = `/body/checks/${index}`;
    const problem = (field: string, message: string) => fields.push({ path: `${at}/${field}`, message });
    const duration = (field: keyof CheckInput, fallback: number): number => {
      const raw = input[field];
      if (raw === undefined) return fallback;
      const ms = parseDuration(String(raw));
      if (ms === undefined) {
        problem(field, `must be a duration like "10s" or "500ms", got "${raw}"`);
        return fallback;
      }
      return ms;
    };

    const id = input.id ?? `${input.type}-${index + 1}`;
    if (seen.has(id)) problem('id', `duplicates the id "${id}" of an earlier check; ids must be unique per instance`);
    seen.add(id);

    const intervalMs = duration('interval', CHECK_DEFAULTS.intervalMs);
    if (intervalMs < CHECK_LIMITS.minIntervalMs || intervalMs > CHECK_LIMITS.maxIntervalMs) {
      problem('interval', `must be between ${formatDuration(CHECK_LIMITS.minIntervalMs)} and 24h`);
    }
    const timeoutMs = duration('timeout', Math.min(CHECK_DEFAULTS.timeoutMs, intervalMs));
    if (timeoutMs < CHECK_LIMITS.minTimeoutMs) problem('timeout', `must be at least ${CHECK_LIMITS.minTimeoutMs}ms`);
    else if (timeoutMs > intervalMs) {
      problem('timeout', `must not exceed the interval (${formatDuration(intervalMs)}), got ${input.timeout}`);
    }
    const jitterMs = duration('jitter', Math.round(intervalMs * CHECK_DEFAULTS.jitterFraction));
    if (jitterMs > intervalMs) problem('jitter', `must not exceed the interval (${formatDuration(intervalMs)})`);
    const initialDelayMs = duration('initial_delay', CHECK_DEFAULTS.initialDelayMs);
    if (initialDelayMs > CHECK_LIMITS.maxInitialDelayMs) problem('initial_delay', 'must be at most 24h');

    const base: CheckBase = {
      id,
      name: input.name ?? '',
      intervalMs,
      timeoutMs,
      jitterMs,
      healthyThreshold: input.healthy_threshold ?? CHECK_DEFAULTS.healthyThreshold,
      unhealthyThreshold: input.unhealthy_threshold ?? CHECK_DEFAULTS.unhealthyThreshold,
      initialDelayMs,
    };

    if (input.type === 'tcp') {
      for (const field of HTTP_ONLY) {
        if (input[field] !== undefined) problem(field, 'applies to http checks only; remove it from this tcp check');
      }
      out.push({ ...base, type: 'tcp', name: base.name || `TCP ${address}` });
      return;
    }
    let expectedStatus: string = CHECK_DEFAULTS.expectedStatus;
    if (input.expected_status !== undefined) {
      const ranges = parseStatusRanges(input.expected_status);
      if (ranges === undefined) {
        problem(
          'expected_status',
          `must be a status code or ranges like "200-399" or "200,204", got "${input.expected_status}"`,
        );
      } else {
        expectedStatus = ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(',');
      }
    }
    const method = (input.method ?? CHECK_DEFAULTS.method).toUpperCase();
    const path = input.path ?? CHECK_DEFAULTS.path;
    out.push({
      ...base,
      type: 'http',
      name: base.name || `HTTP ${method} ${path}`,
      path,
      method,
      expectedStatus,
      bodyContains: input.body_contains ?? null,
      headers: input.headers ?? {},
    });
  });
  return out;
}

/** The API shape of a normalized definition (durations back as strings). */
/** A normalized definition as the API shows it: every field filled in. */
export interface CheckApi {
  id: string;
  name: string;
  type: CheckType;
  path?: string;
  method?: string;
  expected_status?: string;
  body_contains?: string;
  headers?: Record<string, string>;
  interval: string;
  timeout: string;
  jitter: string;
  healthy_threshold: number;
  unhealthy_threshold: number;
  initial_delay: string;
}

export function checkToApi(check: CheckDefinition): CheckApi {
  const common = {
    id: check.id,
    name: check.name,
    type: check.type,
    interval: formatDuration(check.intervalMs),
    timeout: formatDuration(check.timeoutMs),
    jitter: formatDuration(check.jitterMs),
    healthy_threshold: check.healthyThreshold,
    unhealthy_threshold: check.unhealthyThreshold,
    initial_delay: formatDuration(check.initialDelayMs),
  };
  if (check.type === 'tcp') return common;
  return {
    ...common,
    path: check.path,
    method: check.method,
    expected_status: check.expectedStatus,
    ...(check.bodyContains !== null ? { body_contains: check.bodyContains } : {}),
    headers: check.headers,
  };
}

/** Whether two definitions probe the same way (a changed definition starts over from unknown). */
export function sameCheck(a: CheckDefinition, b: CheckDefinition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
