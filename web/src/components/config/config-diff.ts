// The difference between two configuration documents as lines a person reads: RFC 6902
// operations (made by jsondiffpatch with the same options as the server's /diff, so the
// dashboard and the API agree on what changed) with the value each path held before. The
// operations are applied one by one to a copy, so each "before" is read where that operation
// actually applies, not from the original document.
import { create } from 'jsondiffpatch';
import { format as toJsonPatch } from 'jsondiffpatch/formatters/jsonpatch';

export interface DiffLine {
  op: 'add' | 'remove' | 'replace' | 'move';
  path: string;
  /** For a move, where it came from. */
  from?: string;
  before?: unknown;
  after?: unknown;
}

const differ = create({
  objectHash: (item: object, index?: number) => {
    const named = item as { id?: unknown; name?: unknown };
    if (typeof named.id === 'string' || typeof named.id === 'number') return `id:${named.id}`;
    if (typeof named.name === 'string') return `name:${named.name}`;
    return `$index:${index ?? 0}`;
  },
  arrays: { detectMove: true },
});

type Json = unknown;

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: { root: Json }, pointer: string): { container: Json; key: string } {
  const path = tokens(pointer);
  let container: Json = doc;
  let key = 'root';
  for (const token of path) {
    container = (container as Record<string, Json>)[key];
    key = token;
  }
  return { container, key };
}

function read(doc: { root: Json }, pointer: string): Json {
  const { container, key } = parentOf(doc, pointer);
  return (container as Record<string, Json>)?.[key];
}

function remove(doc: { root: Json }, pointer: string): Json {
  const { container, key } = parentOf(doc, pointer);
  const value = (container as Record<string, Json>)[key];
  if (Array.isArray(container)) container.splice(Number(key), 1);
  else delete (container as Record<string, Json>)[key];
  return value;
}

function add(doc: { root: Json }, pointer: string, value: Json): void {
  const { container, key } = parentOf(doc, pointer);
  if (Array.isArray(container)) container.splice(key === '-' ? container.length : Number(key), 0, value);
  else (container as Record<string, Json>)[key] = value;
}

export function diffDocuments(before: Json, after: Json): DiffLine[] {
  const delta = differ.diff(before, after);
  if (delta === undefined) return [];
  const operations = toJsonPatch(delta) as { op: string; path: string; from?: string; value?: Json }[];
  const doc = { root: structuredClone(before) };
  const lines: DiffLine[] = [];
  for (const operation of operations) {
    if (operation.op === 'add') {
      add(doc, operation.path, structuredClone(operation.value));
      lines.push({ op: 'add', path: operation.path, after: operation.value });
    } else if (operation.op === 'remove') {
      lines.push({ op: 'remove', path: operation.path, before: remove(doc, operation.path) });
    } else if (operation.op === 'replace') {
      const previous = read(doc, operation.path);
      if (operation.path === '') doc.root = structuredClone(operation.value);
      else {
        remove(doc, operation.path);
        add(doc, operation.path, structuredClone(operation.value));
      }
      lines.push({ op: 'replace', path: operation.path, before: previous, after: operation.value });
    } else if (operation.op === 'move' && operation.from !== undefined) {
      const value = remove(doc, operation.from);
      add(doc, operation.path, value);
      lines.push({ op: 'move', path: operation.path, from: operation.from, after: value });
    }
  }
  return lines;
}
