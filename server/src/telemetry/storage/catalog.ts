// Remembers which resources, operations and attribute keys/values this replica has written
// lately, so a commit writes only what is new or due for a refresh (refreshing keeps
// last_seen_ms current, which is what retention of these rows goes by). In steady state a
// commit writes no catalog rows at all, and under heavy ingest only a sample of each commit's
// records is looked at for attributes (suggestions are a guide, not an inventory). Memory is bounded: values are sampled per key up to a
// cap, keys with more distinct values stop being sampled, and the maps are cleared when full.
import type { Attributes, AttributeValue } from '../model.js';
import type { AttributeKeyEntry, AttributeValueEntry, CatalogEntries, Signal, StoredResource } from './write-group.js';

const REFRESH_MS = 10 * 60_000;
const MAX_VALUES_PER_KEY = 50;
const MAX_VALUE_LENGTH = 100;
const MAX_ENTRIES = 200_000;
/** Records per commit whose attributes are looked at, at most. */
export const SAMPLE = 256;

/** What the operations catalog needs of a span. */
export interface OperationSource {
  service: string;
  name: string;
  kind: number;
}

/** The attributes of one record, looked at for the attribute catalog. */
export interface AttributeSample {
  signal: Signal;
  service: string;
  attributes: Attributes;
}

/**
 * Up to `max` of the records as attribute samples, every k-th from a rotating offset (`turn`),
 * so every record gets its turn over time.
 */
export function sampleAttributes(
  records: readonly { service: string; attributes: Attributes }[],
  signal: Signal,
  max: number,
  turn: number,
  into: AttributeSample[] = [],
): AttributeSample[] {
  const stride = Math.max(1, Math.ceil(records.length / max));
  for (let i = turn % stride; i < records.length; i += stride) {
    const record = records[i] as { service: string; attributes: Attributes };
    into.push({ signal, service: record.service, attributes: record.attributes });
  }
  return into;
}

interface KeyState {
  writtenAt: number;
  valueType: string;
  /** Sampled values and when each was written; null once the key has too many values to list. */
  values: Map<string, number> | null;
}

function valueType(value: AttributeValue): string {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'other';
  }
}

export class TelemetryCatalog {
  #resources = new Map<string, number>();
  /** service → span name → when each span kind of it was written (by kind number). */
  #operations = new Map<string, Map<string, number[]>>();
  #keys: Record<Signal, Map<string, Map<string, KeyState>>> = { spans: new Map(), logs: new Map() };
  #entries = 0;
  #turn = 0;

  /**
   * The entries that need writing at `nowMs`: operations of all the spans, attribute keys and
   * values of (at most SAMPLE of) the samples, resources. Call `written` after the commit.
   */
  collect(
    spans: readonly OperationSource[],
    samples: readonly AttributeSample[],
    resources: readonly StoredResource[],
    nowMs: number,
  ): CatalogEntries {
    if (this.#entries > MAX_ENTRIES) this.clear();
    const out: CatalogEntries = { resources: [], operations: [], attributeKeys: [], attributeValues: [] };
    const seenResources = new Set<string>();
    for (const resource of resources) {
      if (seenResources.has(resource.id)) continue;
      seenResources.add(resource.id);
      const at = this.#resources.get(resource.id);
      if (at === undefined || nowMs - at >= REFRESH_MS) out.resources.push(resource);
    }
    const pendingOps = new Set<string>();
    const pendingKeys = new Set<string>();
    const newValues = new Map<string, number>();
    let ops: Map<string, number[]> | undefined;
    let opsService: string | undefined;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as OperationSource;
      // Spans of one service come in runs (one resource at a time): look its map up once a run.
      if (span.service !== opsService || !ops) {
        opsService = span.service;
        ops = this.#operations.get(span.service) ?? new Map();
      }
      const at = ops.get(span.name)?.[span.kind];
      if (at !== undefined && nowMs - at < REFRESH_MS) continue;
      const id = `${span.service}\u0000${span.kind}:${span.name}`;
      if (pendingOps.has(id)) continue;
      pendingOps.add(id);
      out.operations.push({ service: span.service, name: span.name, kind: span.kind });
    }
    // Attribute keys and values are sampled: at most ~SAMPLE records of a big group are looked
    // at (a rotating stride, so every record gets its turn over time). Operations are complete.
    const stride = Math.max(1, Math.ceil(samples.length / SAMPLE));
    for (let i = this.#turn % stride; i < samples.length; i += stride) {
      const sample = samples[i] as AttributeSample;
      this.#collectAttributes(sample.signal, sample.service, sample.attributes, nowMs, out, pendingKeys, newValues);
    }
    this.#turn++;
    return out;
  }

  #collectAttributes(
    signal: Signal,
    service: string,
    attributes: Attributes,
    nowMs: number,
    out: CatalogEntries,
    pending: Set<string>,
    newValues: Map<string, number>,
  ): void {
    let keys = this.#keys[signal].get(service);
    if (!keys) {
      keys = new Map();
      this.#keys[signal].set(service, keys);
    }
    for (const key in attributes) {
      const value = attributes[key] as AttributeValue;
      const state = keys.get(key);
      if (state === undefined || nowMs - state.writtenAt >= REFRESH_MS) {
        const id = `${signal}\u0000${service}\u0000${key}`;
        if (!pending.has(id)) {
          pending.add(id);
          out.attributeKeys.push({ signal, service, key, valueType: valueType(value) });
        }
      }
      if (value === null || typeof value === 'object') continue;
      const text = String(value);
      if (text.length > MAX_VALUE_LENGTH) continue;
      const values = state?.values;
      if (values === null) continue;
      const at = values?.get(text);
      if (at !== undefined && nowMs - at < REFRESH_MS) continue;
      if (at === undefined && state && values && values.size >= MAX_VALUES_PER_KEY) {
        // A new value beyond the sample: the key has too many values to be worth listing.
        state.values = null;
        continue;
      }
      const id = `${signal}\u0000${service}\u0000${key}\u0000${text}`;
      if (pending.has(id)) continue;
      if (at === undefined) {
        // At most MAX_VALUES_PER_KEY distinct values per key, counting those new in this group.
        const keyId = `${signal}\u0000${service}\u0000${key}`;
        const fresh = newValues.get(keyId) ?? 0;
        if ((values?.size ?? 0) + fresh >= MAX_VALUES_PER_KEY) continue;
        newValues.set(keyId, fresh + 1);
      }
      pending.add(id);
      out.attributeValues.push({ signal, service, key, value: text });
    }
  }

  /** Records that the entries were committed at `nowMs`. */
  written(entries: CatalogEntries, nowMs: number): void {
    for (const resource of entries.resources) {
      if (!this.#resources.has(resource.id)) this.#entries++;
      this.#resources.set(resource.id, nowMs);
    }
    for (const op of entries.operations) {
      let ops = this.#operations.get(op.service);
      if (!ops) {
        ops = new Map();
        this.#operations.set(op.service, ops);
      }
      let kinds = ops.get(op.name);
      if (!kinds) {
        kinds = [];
        ops.set(op.name, kinds);
      }
      if (kinds[op.kind] === undefined) this.#entries++;
      kinds[op.kind] = nowMs;
    }
    for (const entry of entries.attributeKeys) this.#keyState(entry, nowMs).writtenAt = nowMs;
    for (const entry of entries.attributeValues) {
      const state = this.#keyState(entry, nowMs);
      if (state.values === null) continue;
      if (!state.values.has(entry.value)) {
        if (state.values.size >= MAX_VALUES_PER_KEY) {
          // Too many distinct values to be worth suggesting (ids, timestamps): stop sampling.
          state.values = null;
          continue;
        }
        this.#entries++;
      }
      state.values.set(entry.value, nowMs);
    }
  }

  #keyState(entry: AttributeKeyEntry | AttributeValueEntry, nowMs: number): KeyState {
    let keys = this.#keys[entry.signal].get(entry.service);
    if (!keys) {
      keys = new Map();
      this.#keys[entry.signal].set(entry.service, keys);
    }
    let state = keys.get(entry.key);
    if (!state) {
      state = {
        writtenAt: 'valueType' in entry ? nowMs : 0,
        valueType: 'valueType' in entry ? entry.valueType : 'other',
        values: new Map(),
      };
      keys.set(entry.key, state);
      this.#entries++;
    }
    return state;
  }

  clear(): void {
    this.#resources.clear();
    this.#operations.clear();
    this.#keys.spans.clear();
    this.#keys.logs.clear();
    this.#entries = 0;
  }
}
