// Turns a registration body (already shape-checked by the route schema) into a normalized
// Registration: durations in milliseconds, defaults filled in, and the checks that span fields
// (address syntax and port range, label sizes, timeout ≤ interval). Every problem is reported
// with its field path in one 400, and nothing is stored.
import { randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { Errors, type ProblemField } from '../errors.js';
import { type CheckInput, normalizeChecks } from '../health/checks.js';
import { formatDuration, parseDuration } from './durations.js';
import type { Registration } from './instance-store.js';

export interface RegistrationInput {
  service: string;
  id?: string;
  address: string;
  version?: string;
  environment?: string;
  labels?: Record<string, string>;
  ttl?: string;
  deregister_after?: string;
  checks?: CheckInput[];
}

export const REGISTRATION_LIMITS = {
  maxLabels: 64,
  maxLabelKeyLength: 128,
  maxLabelValueLength: 512,
  /** Serialized size of all labels together. */
  maxLabelBytes: 16 * 1024,
  maxChecks: 16,
  maxHeaders: 32,
  minTtlMs: 1000,
  maxTtlMs: 24 * 3_600_000,
  minDeregisterAfterMs: 1000,
  maxDeregisterAfterMs: 30 * 24 * 3_600_000,
  defaultDeregisterAfterMs: 10 * 60_000,
} as const;

export const SERVICE_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,62}$';
export const INSTANCE_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, `1.2.3.4:80` or `[::1]:80`; undefined when malformed. */
export function parseAddress(address: string): HostPort | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  if (match[1] !== undefined) return isIPv6(match[1]) ? { host: match[1], port } : undefined;
  const host = match[2] as string;
  if (!isIPv4(host) && !HOSTNAME.test(host)) return undefined;
  return { host, port };
}

function checkDuration(
  fields: ProblemField[],
  field: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    fields.push({ path: `/body/${field}`, message: `must be a duration like "15s" or "10m", got "${raw}"` });
    return undefined;
  }
  if (ms < min || ms > max) {
    fields.push({
      path: `/body/${field}`,
      message: `must be between ${formatDuration(min)} and ${formatDuration(max)}, got "${raw}"`,
    });
  }
  return ms;
}

export function normalizeRegistration(input: RegistrationInput): Registration {
  const fields: ProblemField[] = [];
  const L = REGISTRATION_LIMITS;

  if (!parseAddress(input.address)) {
    fields.push({
      path: '/body/address',
      message: `must be host:port with a port 1-65535 (IPv6 in brackets: [::1]:8080), got "${input.address}"`,
    });
  }

  const labels = input.labels ?? {};
  const keys = Object.keys(labels);
  if (keys.length > L.maxLabels) {
    fields.push({ path: '/body/labels', message: `has ${keys.length} labels; at most ${L.maxLabels} are allowed` });
  }
  for (const key of keys) {
    if (key.length > L.maxLabelKeyLength || !LABEL_KEY.test(key)) {
      fields.push({
        path: `/body/labels/${key}`,
        message: `label names are 1-${L.maxLabelKeyLength} characters of letters, digits, '.', '_', '/', '-', starting and ending with a letter or digit`,
      });
    }
  }
  const labelBytes = Buffer.byteLength(JSON.stringify(labels));
  if (labelBytes > L.maxLabelBytes) {
    fields.push({ path: '/body/labels', message: `take ${labelBytes} bytes; at most ${L.maxLabelBytes} are allowed` });
  }

  const ttlMs = checkDuration(fields, 'ttl', input.ttl, L.minTtlMs, L.maxTtlMs) ?? null;
  const deregisterAfterMs =
    checkDuration(fields, 'deregister_after', input.deregister_after, L.minDeregisterAfterMs, L.maxDeregisterAfterMs) ??
    L.defaultDeregisterAfterMs;

  const checks = normalizeChecks(input.checks ?? [], input.address, fields);

  if (fields.length > 0) {
    const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
    throw Errors.validation(`Fix these fields and retry: ${summary}`, { fields });
  }
  return {
    id: input.id ?? `${input.service}-${randomUUID().slice(0, 8)}`,
    service: input.service,
    address: input.address,
    version: input.version ?? null,
    environment: input.environment ?? null,
    labels,
    ttlMs,
    deregisterAfterMs,
    checks,
  };
}
