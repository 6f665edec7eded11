// Checks shared by the protobuf and JSON decoders: id lengths, the accepted time window, the
// value budget of one attribute set, and the service name of a resource. Each throws
// InvalidRecord with a message that says what is wrong, so the record is refused whole.
import type { Attributes } from '../model.js';
import type { IngestLimits } from './limits.js';
import { InvalidRecord } from './rejections.js';

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** The hex form of a binary id that must be exactly `bytes` long and not all zeroes. */
export function idFromBytes(id: Uint8Array, bytes: 16 | 8, field: string): string {
  if (id.length !== bytes) throw new InvalidRecord(`${field} must be ${bytes} bytes, got ${id.length}`);
  const hex = Buffer.from(id.buffer, id.byteOffset, id.length).toString('hex');
  if (hex === (bytes === 16 ? ZERO_TRACE_ID : ZERO_SPAN_ID)) throw new InvalidRecord(`${field} is all zeroes`);
  return hex;
}

const HEX = /^[0-9a-fA-F]*$/;

/** The lower-case hex form of an OTLP/JSON id (case-insensitive hex, `2 × bytes` characters). */
export function idFromHex(id: unknown, bytes: 16 | 8, field: string): string {
  if (typeof id !== 'string') throw new InvalidRecord(`${field} must be a hex string`);
  if (id.length !== bytes * 2 || !HEX.test(id)) {
    throw new InvalidRecord(`${field} must be ${bytes * 2} hex characters (${bytes} bytes), got "${clip(id)}"`);
  }
  const hex = id.toLowerCase();
  if (hex === (bytes === 16 ? ZERO_TRACE_ID : ZERO_SPAN_ID)) throw new InvalidRecord(`${field} is all zeroes`);
  return hex;
}

export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The range of accepted times for one request, fixed when it arrives. */
export interface TimeWindow {
  readonly nowNs: bigint;
  readonly oldestNs: bigint;
  readonly newestNs: bigint;
}

export function timeWindow(limits: IngestLimits, nowMs = Date.now()): TimeWindow {
  const nowNs = BigInt(nowMs) * 1_000_000n;
  return { nowNs, oldestNs: nowNs - limits.maxAgeNs, newestNs: nowNs + limits.maxFutureNs };
}

const HOUR_NS = 3_600_000_000_000n;

/** A time that must not lie beyond the window's future edge (an end or observed time). */
export function checkNotFuture(ns: bigint, window: TimeWindow, field: string): void {
  if (ns > window.newestNs) {
    throw new InvalidRecord(
      `${field} is more than ${(window.newestNs - window.nowNs) / 60_000_000_000n} min in the future`,
    );
  }
}

export function checkTime(ns: bigint, window: TimeWindow, field: string): void {
  if (ns === 0n) throw new InvalidRecord(`${field} is missing (0)`);
  if (ns < window.oldestNs) {
    throw new InvalidRecord(
      `${field} is older than the retention (${(window.nowNs - window.oldestNs) / HOUR_NS} h before now)`,
    );
  }
  if (ns > window.newestNs) {
    throw new InvalidRecord(
      `${field} is more than ${(window.newestNs - window.nowNs) / 60_000_000_000n} min in the future`,
    );
  }
}

interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * A string both stores can hold: lone UTF-16 surrogates (from invalid UTF-8 or JSON escapes)
 * and NUL characters, which PostgreSQL's text and jsonb refuse, become U+FFFD.
 */
export function storable(text: string): string {
  let out = (text as unknown as WellFormed).isWellFormed() ? text : (text as unknown as WellFormed).toWellFormed();
  if (out.includes('\u0000')) out = out.replaceAll('\u0000', '\uFFFD');
  return out;
}

/** Counts the values of one attribute set (nested members included) against the limits. */
export class ValueBudget {
  #values = 0;
  constructor(readonly limits: IngestLimits) {}

  /** Starts a new attribute set of `size` top-level entries. */
  begin(size: number, what: string): void {
    if (size > this.limits.maxAttributes) {
      throw new InvalidRecord(`${what} has ${size} attributes, more than ${this.limits.maxAttributes}`);
    }
    this.#values = 0;
  }

  /** Accounts for one value at `depth` (0 = a top-level attribute value). */
  value(depth: number, what: string): void {
    if (depth > this.limits.maxDepth) {
      throw new InvalidRecord(`${what} nests values deeper than ${this.limits.maxDepth} levels`);
    }
    if (++this.#values > this.limits.maxValues) {
      throw new InvalidRecord(`${what} holds more than ${this.limits.maxValues} values (nested ones included)`);
    }
  }

  text(value: string, what: string): string {
    if (value.length > this.limits.maxValueLength) {
      throw new InvalidRecord(
        `${what} has a value of ${value.length} characters, more than ${this.limits.maxValueLength}`,
      );
    }
    return storable(value);
  }

  key(key: string, what: string): string {
    if (key.length > this.limits.maxNameLength) {
      throw new InvalidRecord(`${what} has a key of ${key.length} characters, more than ${this.limits.maxNameLength}`);
    }
    return storable(key);
  }

  name(value: string, what: string): string {
    if (value.length > this.limits.maxNameLength) {
      throw new InvalidRecord(`${what} is ${value.length} characters long, more than ${this.limits.maxNameLength}`);
    }
    return storable(value);
  }
}

/** `service.name` of a resource, as the SDKs default it when absent. */
export function serviceOf(resource: Attributes, budget: ValueBudget): string {
  const name = resource['service.name'];
  if (typeof name !== 'string' || name === '') return 'unknown_service';
  return budget.name(name, 'resource attribute service.name');
}

/** A double as JSON can hold it: NaN and the infinities become strings. */
export function finiteOrText(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}
