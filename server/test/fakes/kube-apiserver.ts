// A fake Kubernetes API server for tests and benchmarks. It speaks the real protocol the way
// client-node (and client-go) use it, nothing more:
// - list (`GET /api/v1/pods`, `/apis/apps/v1/namespaces/shop/deployments`, …) answering with a
//   `…List` whose `metadata.resourceVersion` is the store's revision; `limit` + `continue`
//   pagination over a snapshot; items without kind/apiVersion, as the real server sends them;
// - watch (`?watch=true&resourceVersion=N`): a chunked response held open, one JSON event per
//   line (ADDED / MODIFIED / DELETED / BOOKMARK / ERROR), replaying history after N; an expired N
//   answered with an ERROR event carrying a Status with code 410 (the watch cache's way) or with
//   HTTP 410 (etcd's way), chosen per server; periodic BOOKMARKs when `allowWatchBookmarks=true`;
// - pod logs (`/api/v1/namespaces/ns/pods/name/log`) with container, previous, tailLines,
//   sinceSeconds, sinceTime, limitBytes, timestamps and follow, and the API server's own error messages;
// - Status objects for errors, optional bearer-token authentication.
// Faults are driven from the test: drop watches mid-stream, compact history (expiring old
// resourceVersions), go unavailable. A small JSON control API under /_fake/ lets another
// process (the benchmark, the dashboard's browser tests) drive the same server.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isoTime, type KubeObject } from './kube-objects.js';

export interface ResourceType {
  group: string;
  version: string;
  /** Plural resource name; unique across the types served here, so it is the key. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
];
const BY_RESOURCE = new Map(RESOURCE_TYPES.map((t) => [t.resource, t]));
const BY_KIND = new Map(RESOURCE_TYPES.map((t) => [`${apiVersionOf(t)}/${t.kind}`, t]));

function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEntry {
  rv: number;
  resource: string;
  namespace: string;
  line: string;
}

interface Watcher {
  id: number;
  resource: string;
  namespace: string | null;
  res: ServerResponse;
  bookmarks: boolean;
  timer?: NodeJS.Timeout;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  watch: boolean;
}

interface LogLine {
  /** Nanoseconds since the epoch. */
  ns: bigint;
  text: string;
}

interface ContainerLogs {
  current: LogLine[];
  previous: LogLine[] | null;
  followers: Set<ServerResponse>;
}

export interface FakeKubeApiServerOptions {
  port?: number;
  host?: string;
  /** When set, API requests need `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** BOOKMARK every so often to watches that allow them; 0 turns periodic bookmarks off. */
  bookmarkIntervalMs?: number;
  /** How many watch events are kept for resuming; older resourceVersions expire (410). */
  historyLimit?: number;
  /** How an expired resourceVersion on watch is answered. */
  expiredWatch?: 'error-event' | 'http-410';
  /** Largest page a list returns when the client asks for no limit (0 = unlimited). */
  defaultPageLimit?: number;
}

type StatusReason = 'NotFound' | 'BadRequest' | 'Expired' | 'Gone' | 'Unauthorized' | 'ServiceUnavailable';

function status(code: number, reason: StatusReason, message: string, details?: Record<string, unknown>) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function nanoTimestamp(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

export class FakeKubeApiServer {
  readonly requests: RequestRecord[] = [];
  /** Called as each request arrives, before it is served (tests inject faults mid-list). */
  onRequest: ((request: RequestRecord) => void) | undefined;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly logs = new Map<string, Map<string, ContainerLogs>>();
  private readonly snapshots = new Map<string, { rv: number; items: KubeObject[]; createdAt: number }>();
  private revision = 1000;
  /** Watch events at or below this revision are gone; resuming from before it gets 410. */
  private compactedRevision = 1000;
  private nextWatcherId = 1;
  private logSequence = 0n;
  private unavailable = false;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private baseUrl = '';

  constructor(private readonly options: FakeKubeApiServerOptions = {}) {
    for (const t of RESOURCE_TYPES) this.objects.set(t.resource, new Map());
  }

  get url(): string {
    return this.baseUrl;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, status(500, 'BadRequest', String(error)));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.baseUrl = `http://${address}:${port}`;
    const interval = this.options.bookmarkIntervalMs ?? 0;
    if (interval > 0) {
      this.bookmarkTimer = setInterval(() => this.sendBookmarks(), interval);
      this.bookmarkTimer.unref();
    }
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    for (const w of this.watchers) this.endWatcher(w, 'abrupt');
    for (const containers of this.logs.values()) {
      for (const logs of containers.values()) for (const f of logs.followers) f.destroy();
    }
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------
  // The store: what a controller or kubelet would write

  /** Creates or replaces an object (ADDED or MODIFIED to watchers); returns the stored copy. */
  apply(input: KubeObject): KubeObject {
    const type = BY_KIND.get(`${input.apiVersion}/${input.kind}`);
    if (!type) throw new Error(`the fake API server does not serve ${input.apiVersion} ${input.kind}`);
    const obj = clone(input);
    const ns = type.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    if (ns) obj.metadata.namespace = ns;
    else delete obj.metadata.namespace;
    const bucket = this.objects.get(type.resource)!;
    const existing = bucket.get(key(ns, obj.metadata.name));
    obj.metadata.uid = existing?.metadata.uid ?? obj.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp =
      existing?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? isoTime(Date.now());
    if (existing && 'spec' in obj && JSON.stringify(existing.spec) !== JSON.stringify(obj.spec)) {
      // The API server bumps generation on spec changes of objects that carry one.
      if (existing.metadata.generation !== undefined) {
        obj.metadata.generation = Math.max(existing.metadata.generation + 1, obj.metadata.generation ?? 0);
      }
    }
    this.revision += 1;
    obj.metadata.resourceVersion = String(this.revision);
    bucket.set(key(ns, obj.metadata.name), obj);
    this.record(type, existing ? 'MODIFIED' : 'ADDED', obj);
    return clone(obj);
  }

  /** Applies a JSON merge patch to a stored object (MODIFIED). */
  patch(resource: string, namespace: string | undefined, name: string, patch: unknown): KubeObject {
    const existing = this.get(resource, namespace, name);
    if (!existing) throw new Error(`${resource} ${key(namespace, name)} does not exist`);
    const merged = mergePatch(existing, patch) as KubeObject;
    merged.metadata.resourceVersion = existing.metadata.resourceVersion;
    return this.apply(merged);
  }

  /** Deletes an object (DELETED with its last state, at a new resourceVersion). */
  delete(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = this.type(resource);
    const bucket = this.objects.get(type.resource)!;
    const k = key(type.namespaced ? namespace : undefined, name);
    const existing = bucket.get(k);
    if (!existing) return undefined;
    bucket.delete(k);
    this.revision += 1;
    existing.metadata.resourceVersion = String(this.revision);
    this.record(type, 'DELETED', existing);
    if (resource === 'pods') {
      const containers = this.logs.get(k);
      for (const logs of containers?.values() ?? []) for (const f of logs.followers) f.end();
      this.logs.delete(k);
    }
    return clone(existing);
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = this.type(resource);
    const found = this.objects.get(type.resource)!.get(key(type.namespaced ? namespace : undefined, name));
    return found ? clone(found) : undefined;
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const type = this.type(resource);
    return [...this.objects.get(type.resource)!.values()]
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .map(clone);
  }

  count(resource: string): number {
    return this.objects.get(this.type(resource).resource)!.size;
  }

  private type(resource: string): ResourceType {
    const type = BY_RESOURCE.get(resource);
    if (!type) throw new Error(`unknown resource ${resource}`);
    return type;
  }

  private record(type: ResourceType, eventType: WatchEventType, obj: KubeObject): void {
    const line = `${JSON.stringify({ type: eventType, object: obj })}\n`;
    const entry: HistoryEntry = {
      rv: this.revision,
      resource: type.resource,
      namespace: obj.metadata.namespace ?? '',
      line,
    };
    this.history.push(entry);
    const limit = this.options.historyLimit ?? 50_000;
    if (this.history.length > limit) {
      const dropped = this.history.splice(0, this.history.length - limit);
      this.compactedRevision = Math.max(this.compactedRevision, dropped.at(-1)!.rv);
    }
    for (const w of this.watchers) {
      if (w.resource === type.resource && (w.namespace === null || w.namespace === entry.namespace)) {
        w.res.write(line);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Faults

  /** Ends open watches: `abrupt` destroys the socket mid-stream, `clean` ends the response. */
  dropWatches(filter: { resource?: string; mode?: 'abrupt' | 'clean' } = {}): number {
    let dropped = 0;
    for (const w of [...this.watchers]) {
      if (filter.resource && w.resource !== filter.resource) continue;
      this.endWatcher(w, filter.mode ?? 'abrupt');
      dropped += 1;
    }
    return dropped;
  }

  /** Forgets watch history up to now, as etcd compaction does: older resourceVersions get 410. */
  compact(): void {
    this.history.length = 0;
    this.compactedRevision = this.revision;
    this.snapshots.clear();
  }

  /** While unavailable every API request is answered 503 (and open watches are dropped). */
  setUnavailable(unavailable: boolean): void {
    this.unavailable = unavailable;
    if (unavailable) this.dropWatches({ mode: 'abrupt' });
  }

  /** Sends a BOOKMARK at the current revision to every watch that allows them. */
  sendBookmarks(): number {
    let sent = 0;
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const type = this.type(w.resource);
      w.res.write(
        `${JSON.stringify({
          type: 'BOOKMARK',
          object: {
            kind: type.kind,
            apiVersion: apiVersionOf(type),
            metadata: { resourceVersion: this.resourceVersion },
          },
        })}\n`,
      );
      sent += 1;
    }
    return sent;
  }

  openWatches(resource?: string): number {
    let n = 0;
    for (const w of this.watchers) if (!resource || w.resource === resource) n += 1;
    return n;
  }

  /** Resolves when at least `count` watches on the resource are open. */
  async waitForWatches(resource: string, count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openWatches(resource) < count) {
      if (Date.now() > deadline) throw new Error(`no ${count} open watch(es) on ${resource} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private endWatcher(w: Watcher, mode: 'abrupt' | 'clean'): void {
    this.watchers.delete(w);
    if (w.timer) clearTimeout(w.timer);
    if (mode === 'abrupt') w.res.socket?.destroy();
    else w.res.end();
  }

  // -------------------------------------------------------------------------------------------
  // Container logs: what the kubelet would serve

  private containerLogs(namespace: string, pod: string, container: string): ContainerLogs {
    const podKey = key(namespace, pod);
    let containers = this.logs.get(podKey);
    if (!containers) {
      containers = new Map();
      this.logs.set(podKey, containers);
    }
    let logs = containers.get(container);
    if (!logs) {
      logs = { current: [], previous: null, followers: new Set() };
      containers.set(container, logs);
    }
    return logs;
  }

  /** Appends lines to a container's current log; followers receive them at once. */
  appendLog(namespace: string, pod: string, container: string, lines: readonly string[], atMs = Date.now()): void {
    const logs = this.containerLogs(namespace, pod, container);
    for (const text of lines) {
      this.logSequence = (this.logSequence + 1n) % 1_000_000n;
      const line = { ns: BigInt(atMs) * 1_000_000n + this.logSequence, text };
      logs.current.push(line);
      for (const f of logs.followers) {
        const opts = (f as ServerResponse & { logOptions?: { timestamps: boolean } }).logOptions;
        f.write(this.formatLine(line, opts?.timestamps ?? false));
      }
    }
  }

  /** The container restarted: its current log becomes the previous one; followers are ended. */
  rotateLog(namespace: string, pod: string, container: string): void {
    const logs = this.containerLogs(namespace, pod, container);
    logs.previous = logs.current;
    logs.current = [];
    for (const f of logs.followers) f.end();
    logs.followers.clear();
  }

  /** Ends follow streams (the container stopped). */
  endLogStreams(namespace: string, pod: string, container?: string): void {
    for (const [name, logs] of this.logs.get(key(namespace, pod)) ?? []) {
      if (container && name !== container) continue;
      for (const f of logs.followers) f.end();
      logs.followers.clear();
    }
  }

  logFollowers(namespace: string, pod: string): number {
    let n = 0;
    for (const logs of this.logs.get(key(namespace, pod))?.values() ?? []) n += logs.followers.size;
    return n;
  }

  private formatLine(line: LogLine, timestamps: boolean): string {
    return timestamps ? `${nanoTimestamp(line.ns)} ${line.text}\n` : `${line.text}\n`;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const watch = query.watch === 'true' || query.watch === '1';
    const record: RequestRecord = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      status: 0,
      watch,
    };
    this.requests.push(record);
    if (this.requests.length > 10_000) this.requests.splice(0, 5_000);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    record.status = 200;
    this.onRequest?.(record);

    if (url.pathname.startsWith('/_fake/')) return this.control(req, res, url.pathname.slice('/_fake/'.length));
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      record.status = 401;
      return this.sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (this.unavailable) {
      record.status = 503;
      return this.sendJson(
        res,
        503,
        status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
      );
    }
    if (req.method !== 'GET') {
      return this.sendJson(
        res,
        405,
        status(405, 'BadRequest', `the fake API server only serves GET, not ${req.method}`),
      );
    }
    if (url.pathname === '/version') {
      return this.sendJson(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.0-fake', platform: 'linux/amd64' });
    }
    if (url.pathname === '/readyz' || url.pathname === '/livez' || url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end('ok');
    }

    const route = this.route(url.pathname);
    if (!route) {
      record.status = 404;
      return this.sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    }
    if (query.labelSelector || query.fieldSelector) {
      // Not needed by the source under test; refusing loudly beats silently ignoring them.
      return this.sendJson(res, 400, status(400, 'BadRequest', 'the fake API server does not implement selectors'));
    }
    const { type, namespace, name, subresource } = route;
    if (subresource === 'log') return this.serveLog(res, namespace!, name!, query);
    if (subresource) return this.sendJson(res, 404, status(404, 'NotFound', `no subresource ${subresource}`));
    if (name) {
      const found = this.get(type.resource, namespace, name);
      if (!found) {
        record.status = 404;
        return this.sendJson(
          res,
          404,
          status(404, 'NotFound', `${type.resource} "${name}" not found`, { name, kind: type.resource }),
        );
      }
      return this.sendJson(res, 200, found);
    }
    if (watch) return this.serveWatch(req, res, type, namespace ?? null, query, record);
    return this.serveList(res, type, namespace, query, record);
  }

  private route(
    path: string,
  ): { type: ResourceType; namespace?: string; name?: string; subresource?: string } | undefined {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    let rest: string[];
    let group = '';
    if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
    else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1]!;
      rest = parts.slice(3);
    } else return undefined;
    const version = parts[0] === 'api' ? 'v1' : parts[2];
    const find = (resource: string | undefined) => {
      const t = resource ? BY_RESOURCE.get(resource) : undefined;
      return t && t.group === group && t.version === version ? t : undefined;
    };
    // /namespaces/{ns}/{resource}[/{name}[/{sub}]] or /{resource}[/{name}] (cluster scope / all namespaces)
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const type = find(rest[2]);
      if (!type?.namespaced) return undefined;
      return { type, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
    const type = find(rest[0]);
    if (!type) return undefined;
    if (rest.length > 1 && type.namespaced) return undefined; // a namespaced object needs its namespace
    return { type, name: rest[1], subresource: rest[2] };
  }

  private itemsOf(type: ResourceType, namespace: string | undefined): KubeObject[] {
    return [...this.objects.get(type.resource)!.entries()]
      .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o);
  }

  private serveList(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: Record<string, string>,
    record: RequestRecord,
  ) {
    const requested = query.resourceVersion;
    if (
      query.resourceVersionMatch === 'Exact' &&
      requested &&
      requested !== '0' &&
      Number(requested) < this.compactedRevision
    ) {
      record.status = 410;
      return this.sendJson(
        res,
        410,
        status(410, 'Expired', `too old resource version: ${requested} (${this.compactedRevision})`),
      );
    }
    let snapshot: { rv: number; items: KubeObject[] };
    let offset = 0;
    if (query.continue) {
      const [id, at] = query.continue.split(':');
      const found = id ? this.snapshots.get(id) : undefined;
      if (!found) {
        record.status = 410;
        return this.sendJson(
          res,
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          ),
        );
      }
      snapshot = found;
      offset = Number(at);
    } else {
      snapshot = { rv: this.revision, items: this.itemsOf(type, namespace) };
    }
    const limit = Number(query.limit ?? 0) || this.options.defaultPageLimit || 0;
    const page = limit > 0 ? snapshot.items.slice(offset, offset + limit) : snapshot.items.slice(offset);
    const remaining = snapshot.items.length - offset - page.length;
    let continueToken: string | undefined;
    if (remaining > 0) {
      const id = query.continue?.split(':')[0] ?? randomUUID();
      if (!this.snapshots.has(id)) this.snapshots.set(id, { ...snapshot, createdAt: Date.now() });
      continueToken = `${id}:${offset + page.length}`;
      // Real continue tokens expire after a few minutes; keep the map small.
      for (const [sid, s] of this.snapshots) if (Date.now() - s.createdAt > 300_000) this.snapshots.delete(sid);
    } else if (query.continue) {
      this.snapshots.delete(query.continue.split(':')[0]!);
    }
    // Items of a list carry neither kind nor apiVersion: the list's kind says what they are.
    const items = page.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
    this.sendJson(res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: String(snapshot.rv),
        ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
      },
      items,
    });
  }

  private serveWatch(
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    namespace: string | null,
    query: Record<string, string>,
    record: RequestRecord,
  ) {
    const requested = query.resourceVersion ?? '';
    const fromStart = requested === '' || requested === '0';
    const from = fromStart ? this.revision : Number(requested);
    if (!fromStart && !Number.isInteger(from)) {
      record.status = 400;
      return this.sendJson(res, 400, status(400, 'BadRequest', `invalid resource version "${requested}"`));
    }
    const expired = !fromStart && from < this.compactedRevision;
    const expiredStatus = status(410, 'Expired', `too old resource version: ${requested} (${this.compactedRevision})`);
    if (expired && this.options.expiredWatch === 'http-410') {
      record.status = 410;
      return this.sendJson(res, 410, expiredStatus);
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    res.flushHeaders();
    if (expired) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: expiredStatus })}\n`);
      return;
    }
    if (fromStart) {
      // Without a resourceVersion a watch starts with the current state as ADDED events.
      for (const obj of this.itemsOf(type, namespace ?? undefined)) {
        res.write(`${JSON.stringify({ type: 'ADDED', object: obj })}\n`);
      }
    } else {
      for (const entry of this.history) {
        if (
          entry.rv > from &&
          entry.resource === type.resource &&
          (namespace === null || entry.namespace === namespace)
        ) {
          res.write(entry.line);
        }
      }
    }
    const watcher: Watcher = {
      id: this.nextWatcherId++,
      resource: type.resource,
      namespace,
      res,
      bookmarks: query.allowWatchBookmarks === 'true',
    };
    const timeoutSeconds = Number(query.timeoutSeconds ?? 0);
    if (timeoutSeconds > 0) {
      watcher.timer = setTimeout(() => this.endWatcher(watcher, 'clean'), timeoutSeconds * 1000);
      watcher.timer.unref();
    }
    this.watchers.add(watcher);
    req.on('close', () => {
      this.watchers.delete(watcher);
      if (watcher.timer) clearTimeout(watcher.timer);
    });
  }

  private serveLog(res: ServerResponse, namespace: string, name: string, query: Record<string, string>) {
    const pod = this.objects.get('pods')!.get(key(namespace, name));
    if (!pod)
      return this.sendJson(res, 404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    const specs = (pod.spec as { containers: { name: string }[] }).containers;
    const names = specs.map((c) => c.name);
    let container = query.container;
    if (!container) {
      if (names.length !== 1) {
        return this.sendJson(
          res,
          400,
          status(
            400,
            'BadRequest',
            `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
          ),
        );
      }
      container = names[0]!;
    }
    if (!names.includes(container)) {
      return this.sendJson(res, 400, status(400, 'BadRequest', `container ${container} is not valid for pod ${name}`));
    }
    const statuses =
      (
        pod.status as {
          containerStatuses?: {
            name: string;
            restartCount: number;
            state: Record<string, { reason?: string }>;
            lastState: Record<string, unknown>;
          }[];
        }
      ).containerStatuses ?? [];
    const containerStatus = statuses.find((s) => s.name === container);
    const previous = query.previous === 'true';
    const logs = this.containerLogs(namespace, name, container);
    if (previous && !containerStatus?.lastState?.terminated) {
      return this.sendJson(
        res,
        400,
        status(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`),
      );
    }
    const waitingReason = containerStatus?.state?.waiting?.reason;
    const hasRun = (containerStatus?.restartCount ?? 0) > 0 || containerStatus?.lastState?.terminated !== undefined;
    if (!previous && (!containerStatus || (waitingReason && !(waitingReason === 'CrashLoopBackOff' && hasRun)))) {
      const why =
        waitingReason === 'ImagePullBackOff' || waitingReason === 'ErrImagePull'
          ? 'trying and failing to pull image'
          : (waitingReason ?? 'ContainerCreating');
      return this.sendJson(
        res,
        400,
        status(400, 'BadRequest', `container "${container}" in pod "${name}" is waiting to start: ${why}`),
      );
    }
    let lines = previous ? (logs.previous ?? []) : logs.current;
    if (query.sinceSeconds) {
      const since = BigInt(Date.now() - Number(query.sinceSeconds) * 1000) * 1_000_000n;
      lines = lines.filter((l) => l.ns >= since);
    }
    if (query.sinceTime) {
      const since = BigInt(Date.parse(query.sinceTime)) * 1_000_000n;
      lines = lines.filter((l) => l.ns >= since);
    }
    if (query.tailLines !== undefined) {
      const n = Number(query.tailLines);
      lines = n === 0 ? [] : lines.slice(-n);
    }
    const timestamps = query.timestamps === 'true';
    let text = lines.map((l) => this.formatLine(l, timestamps)).join('');
    if (query.limitBytes) text = Buffer.from(text).subarray(0, Number(query.limitBytes)).toString();
    const follow = query.follow === 'true' && !previous && containerStatus?.state?.running !== undefined;
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    if (!follow) {
      res.end(text);
      return;
    }
    if (text) res.write(text);
    Object.assign(res, { logOptions: { timestamps } });
    logs.followers.add(res);
    res.on('close', () => logs.followers.delete(res));
  }

  // -------------------------------------------------------------------------------------------
  // Control API for other processes (benchmark, browser tests): JSON in, JSON out.

  private async control(req: IncomingMessage, res: ServerResponse, action: string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = (chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    try {
      switch (action) {
        case 'stats':
          return this.sendJson(res, 200, {
            resourceVersion: this.resourceVersion,
            objects: Object.fromEntries(RESOURCE_TYPES.map((t) => [t.resource, this.count(t.resource)])),
            watches: Object.fromEntries(RESOURCE_TYPES.map((t) => [t.resource, this.openWatches(t.resource)])),
          });
        case 'apply': {
          const items = Array.isArray(body.items) ? (body.items as KubeObject[]) : [body as KubeObject];
          return this.sendJson(res, 200, { items: items.map((o) => this.apply(o)) });
        }
        case 'patch':
          return this.sendJson(res, 200, this.patch(str('resource')!, str('namespace'), str('name')!, body.patch));
        case 'delete':
          return this.sendJson(res, 200, {
            deleted: this.delete(str('resource')!, str('namespace'), str('name')!) ?? null,
          });
        case 'logs':
          this.appendLog(str('namespace')!, str('pod')!, str('container')!, (body.lines as string[]) ?? []);
          return this.sendJson(res, 200, {});
        case 'drop-watches':
          return this.sendJson(res, 200, {
            dropped: this.dropWatches({
              resource: str('resource'),
              mode: str('mode') as 'abrupt' | 'clean' | undefined,
            }),
          });
        case 'compact':
          this.compact();
          return this.sendJson(res, 200, { compactedRevision: this.resourceVersion });
        case 'bookmarks':
          return this.sendJson(res, 200, { sent: this.sendBookmarks() });
        case 'unavailable':
          this.setUnavailable(body.unavailable === true);
          return this.sendJson(res, 200, {});
        default:
          return this.sendJson(res, 404, { error: `no control action ${action}` });
      }
    } catch (error) {
      return this.sendJson(res, 400, { error: (error as Error).message });
    }
  }
}

/** Starts a fake API server, optionally seeded by a scenario. */
export async function startFakeKubeApiServer(
  options: FakeKubeApiServerOptions & { seed?: (server: FakeKubeApiServer) => void } = {},
): Promise<FakeKubeApiServer> {
  const server = new FakeKubeApiServer(options);
  options.seed?.(server);
  await server.listen();
  return server;
}

/** A kubeconfig document (YAML is a superset of JSON) pointing at a fake API server. */
export function kubeconfigFor(url: string, options: { token?: string; context?: string } = {}): string {
  const context = options.context ?? 'fake';
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake-cluster', cluster: { server: url } }],
      users: [{ name: 'fake-user', user: options.token ? { token: options.token } : {} }],
      contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user', namespace: 'default' } }],
      'current-context': context,
      preferences: {},
    },
    null,
    2,
  );
}
