// Filters shared by trace search, log search and the live tail: typed attribute filters
// (`key=value`), nanosecond durations ("250ms", "1.5s", "800us"), severities, cursors; and
// their SQL on each dialect. Parsing errors throw Errors.validation naming the parameter.
import { type RawBuilder, sql } from 'kysely';
import { Errors } from '../../errors.js';
import type { Dialect } from '../../store/store.js';
import type { Attributes, AttributeValue } from '../model.js';

export interface AttributeFilter {
  key: string;
  value: string | number | boolean;
}

const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * `key=value`: `true`/`false` are booleans, numerals are numbers, anything else (or a value in
 * double quotes, to force a string: `http.status_code="200"`) is a string.
 */
export function parseAttributeFilter(text: string, parameter: string): AttributeFilter {
  const eq = text.indexOf('=');
  if (eq <= 0) {
    throw Errors.validation(`${parameter} must look like key=value, got "${text}"`, {
      fields: [{ path: `/querystring/${parameter}`, message: 'must look like key=value' }],
    });
  }
  const key = text.slice(0, eq);
  if (key.includes('"') || key.includes('\\')) {
    throw Errors.validation(`${parameter}: attribute keys with quotes or backslashes cannot be filtered on`, {
      fields: [{ path: `/querystring/${parameter}`, message: 'key has a quote or backslash' }],
    });
  }
  const raw = text.slice(eq + 1);
  let value: string | number | boolean;
  if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (NUMBER.test(raw)) value = Number(raw);
  else if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) value = raw.slice(1, -1);
  else value = raw;
  return { key, value };
}

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)$/;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
export const DURATION_NS_PATTERN = '^[0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h)$';

export function parseDurationNs(text: string, parameter: string): bigint {
  const match = DURATION.exec(text);
  if (!match) {
    throw Errors.validation(`${parameter} must be a duration like "250ms", "1.5s" or "800us", got "${text}"`, {
      fields: [{ path: `/querystring/${parameter}`, message: 'must be a duration like "250ms"' }],
    });
  }
  return BigInt(Math.round(Number(match[1]) * (UNIT_NS[match[2] as string] as number)));
}

const SEVERITY_NAMES: Record<string, number> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
};

/** A SeverityNumber 1..24, or a level name (trace, debug, info, warn, error, fatal). */
export function parseSeverity(text: string, parameter: string): number {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= 24) return n;
  }
  const named = SEVERITY_NAMES[text.toLowerCase()];
  if (named !== undefined) return named;
  throw Errors.validation(
    `${parameter} must be 1..24 or one of trace, debug, info, warn, error, fatal; got "${text}"`,
    {
      fields: [{ path: `/querystring/${parameter}`, message: 'must be a severity' }],
    },
  );
}

/** Milliseconds → nanoseconds. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * 1_000_000n;
}

/** Nanoseconds → whole milliseconds (for the `*_at` fields). */
export function nsToMs(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

/** Nanoseconds → milliseconds with a fraction (for `duration_ms`). */
export function nsToMsFraction(ns: bigint): number {
  return Number(ns) / 1e6;
}

/** SQL of an attribute filter on a JSON column (typed: "200" does not match 200). */
export function attributeCondition(
  column: RawBuilder<unknown>,
  filter: AttributeFilter,
  dialect: Dialect,
): RawBuilder<unknown> {
  if (dialect === 'postgres') {
    return sql`${column} @> ${JSON.stringify({ [filter.key]: filter.value })}::jsonb`;
  }
  const path = `$."${filter.key}"`;
  switch (typeof filter.value) {
    case 'boolean':
      return sql`json_type(${column}, ${path}) = ${filter.value ? 'true' : 'false'}`;
    case 'number':
      return sql`(json_type(${column}, ${path}) in ('integer', 'real') and json_extract(${column}, ${path}) = ${filter.value})`;
    default:
      return sql`(json_type(${column}, ${path}) = 'text' and json_extract(${column}, ${path}) = ${filter.value})`;
  }
}

/**
 * An attribute filter on a span or log row: it matches the row's own attributes or those of
 * its resource (so `service.version=1.4` or `host.name=…` work as filters too).
 */
export function recordAttributeCondition(
  alias: string,
  filter: AttributeFilter,
  dialect: Dialect,
): RawBuilder<unknown> {
  const own = attributeCondition(sql.ref(`${alias}.attributes`), filter, dialect);
  const resource = attributeCondition(sql.ref('r.attributes'), filter, dialect);
  return sql`(${own} or ${sql.ref(`${alias}.resource_id`)} in (select r.id from telemetry_resources r where ${resource}))`;
}

/** In-memory version of the same test, for the live tail. */
export function matchesAttribute(attributes: Attributes, resource: Attributes, filter: AttributeFilter): boolean {
  const own: AttributeValue | undefined = attributes[filter.key];
  if (own !== undefined && own === filter.value) return true;
  return resource[filter.key] === filter.value;
}

/** LIKE pattern for "contains", with LIKE's wildcards escaped (escape character: backslash). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A JSON column as a value on both dialects (jsonb arrives parsed, SQLite text does not). */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function andAll(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length === 0 ? sql`1 = 1` : sql.join(conditions, sql` and `);
}
