// Structured difference between two configuration versions: RFC 6902 operations (what a
// program applies) and jsondiffpatch's delta (what a dashboard renders side by side).
import { create } from 'jsondiffpatch';
import { format as toJsonPatch } from 'jsondiffpatch/formatters/jsonpatch';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

// Array items are matched by `id` or `name` when they have one, so reordering a list of named
// entries shows as moves rather than as every item changing.
const differ = create({
  objectHash: (item: object, index?: number) => {
    const named = item as { id?: unknown; name?: unknown };
    if (typeof named.id === 'string' || typeof named.id === 'number') return `id:${named.id}`;
    if (typeof named.name === 'string') return `name:${named.name}`;
    return `$index:${index ?? 0}`;
  },
  arrays: { detectMove: true },
});

export interface ConfigDiff {
  /** RFC 6902 operations turning `from` into `to` (empty when equal). */
  operations: JsonPatchOperation[];
  /** jsondiffpatch delta (its documented format), null when equal. */
  delta: unknown;
}

export function diffDocuments(from: unknown, to: unknown): ConfigDiff {
  const delta = differ.diff(from, to);
  if (delta === undefined) return { operations: [], delta: null };
  return { operations: toJsonPatch(delta) as JsonPatchOperation[], delta };
}
