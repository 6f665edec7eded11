// One informer per watched resource (and namespace): client-node's ListWatch, with what it leaves
// to its user added here:
// - bookmarks: every watch asks for them (allowWatchBookmarks), so a quiet resource's
//   resourceVersion keeps moving and a reconnect resumes instead of relisting;
// - restarts: ListWatch stops on any error other than 410 Gone (it relists on 410 itself, from
//   an ERROR event or an HTTP 410); we restart it with capped exponential backoff and jitter;
// - paged lists (limit/continue), restarted from scratch when a continue token expires (410);
// - sync tracking for /readyz, counters for the status page and /metrics;
// - managedFields dropped as objects arrive: they are a third of a pod's size and never read.
import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { listPage } from './list-request.js';
import { type ResourceDefinition, type ResourceName, type ResourceObjects, resourcePath } from './resources.js';

export interface InformerOptions {
  /** First retry delay after a watch or list error; doubles up to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Items per list page. */
  pageSize: number;
  /** Deadline of one list page. */
  listTimeoutMs: number;
  /** A watch with no byte for this long is abandoned and resumed. Longer than the API server's
   * bookmark period (about a minute), or quiet watches never see a bookmark. */
  inactivityTimeoutMs: number;
  /** The API server ends each watch after a random time in this range (seconds), as client-go asks. */
  watchTimeoutSeconds: readonly [number, number];
}

export const DEFAULT_INFORMER_OPTIONS: InformerOptions = {
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  pageSize: 500,
  listTimeoutMs: 60_000,
  inactivityTimeoutMs: 150_000, // 2.5 min
  watchTimeoutSeconds: [300, 600], // 5–10 min
};

/** An attempt that lived this long before failing was healthy: the next retry starts from scratch. */
const HEALTHY_ATTEMPT_MS = 30_000;

export interface ObjectHandler<T> {
  upsert(obj: T): void;
  remove(obj: T): void;
}

export interface InformerStats {
  lists: number;
  watchRestarts: number;
  lastEventAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** Watch that asks for bookmarks and a server-side timeout on every request. */
class BookmarkWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly timeoutRange: readonly [number, number],
    inactivityTimeoutMs: number,
  ) {
    super(config);
    // client-node keeps this private and defaults it to 30 s, shorter than the API server's
    // bookmark period; the informer test proves the value takes effect.
    Object.assign(this, { requestTimeoutMs: inactivityTimeoutMs });
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const [min, max] = this.timeoutRange;
    const timeoutSeconds = Math.floor(min + Math.random() * (max - min));
    return super.watch(path, { ...queryParams, allowWatchBookmarks: true, timeoutSeconds }, callback, done);
  }
}

function describeError(error: unknown): string {
  if (error === null || error === undefined) return 'unknown error';
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown; cause?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
  let message = typeof e.message === 'string' ? e.message.split('\n')[0]! : String(error);
  const cause = e.cause as { code?: string; message?: string } | undefined;
  if (cause?.code || cause?.message) message += ` (${cause.code ?? cause.message})`;
  if (status === 401) return `401 Unauthorized: the credentials were refused (${message})`;
  if (status === 403) return `403 Forbidden: the service account lacks list/watch RBAC (${message})`;
  return status ? `HTTP ${status}: ${message}` : message;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.code === 'number') return e.code;
  return undefined;
}

/** Told about lists and watch restarts (the module counts them for /metrics). */
export interface InformerObserver {
  listed(resource: ResourceName): void;
  restarted(resource: ResourceName): void;
}

export class ResourceInformer<K extends ResourceName> {
  readonly stats: InformerStats = { lists: 0, watchRestarts: 0, lastEventAt: null, lastError: null, lastErrorAt: null };
  private readonly informer: ListWatch<ResourceObjects[K]>;
  private syncedAt: number | null = null;
  private stopped = true;
  private failures = 0;
  private attemptStartedAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly syncWaiters: Array<() => void> = [];

  private readonly path: string;

  constructor(
    private readonly kc: KubeConfig,
    readonly definition: ResourceDefinition<K>,
    readonly namespace: string | undefined,
    private readonly handler: ObjectHandler<ResourceObjects[K]>,
    private readonly options: InformerOptions,
    private readonly logger: Logger,
    private readonly observer?: InformerObserver,
  ) {
    const watch = new BookmarkWatch(kc, options.watchTimeoutSeconds, options.inactivityTimeoutMs);
    this.path = resourcePath(definition, namespace);
    this.informer = new ListWatch<ResourceObjects[K]>(this.path, watch, () => this.listAll(), false);
    const upsert = (obj: ResourceObjects[K]) => {
      this.received(obj);
      this.handler.upsert(obj);
    };
    this.informer.on('add', upsert);
    this.informer.on('update', upsert);
    this.informer.on('delete', (obj) => {
      this.received(obj);
      this.handler.remove(obj);
    });
    this.informer.on('error', (error: unknown) => this.failed(error));
  }

  get name(): string {
    return this.namespace ? `${this.definition.name} in ${this.namespace}` : this.definition.name;
  }

  get synced(): boolean {
    return this.syncedAt !== null;
  }

  get firstSyncAt(): number | null {
    return this.syncedAt;
  }

  /** The last resourceVersion the informer holds (advanced by events and bookmarks). */
  get resourceVersion(): string {
    return this.informer.latestResourceVersion();
  }

  list(namespace?: string): readonly ResourceObjects[K][] {
    return this.informer.list(namespace);
  }

  get(name: string, namespace?: string): ResourceObjects[K] | undefined {
    return this.informer.get(name, namespace);
  }

  /** Starts listing and watching; returns at once (see whenSynced). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt();
  }

  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.informer.stop();
  }

  private attempt(): void {
    if (this.stopped) return;
    this.attemptStartedAt = Date.now();
    this.informer.start().catch((error: unknown) => this.failed(error));
  }

  private received(obj: KubernetesObject): void {
    // Strip what nothing reads; the cache holds this same object.
    if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
    this.stats.lastEventAt = Date.now();
    this.failures = 0;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.stats.watchRestarts += 1;
    this.observer?.restarted(this.definition.name);
    this.stats.lastError = describeError(error);
    this.stats.lastErrorAt = Date.now();
    if (Date.now() - this.attemptStartedAt > HEALTHY_ATTEMPT_MS) this.failures = 0;
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** this.failures);
    // Equal jitter: at least half the ceiling, so many replicas do not retry in step.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.failures += 1;
    const level = this.failures > 3 ? 'warn' : 'info';
    this.logger[level](
      { resource: this.name, error: this.stats.lastError, retry_in_ms: delay, failures: this.failures },
      'kubernetes watch failed; retrying',
    );
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.attempt();
    }, delay);
    this.retryTimer.unref();
  }

  private async listAll(): Promise<KubernetesListObject<ResourceObjects[K]>> {
    const items: ResourceObjects[K][] = [];
    let resourceVersion: string | undefined;
    let cont: string | undefined;
    let restartedAfterExpiry = false;
    for (;;) {
      let page: KubernetesListObject<ResourceObjects[K]>;
      try {
        page = await listPage<ResourceObjects[K]>(
          this.kc,
          this.path,
          { limit: String(this.options.pageSize), ...(cont ? { continue: cont } : {}) },
          this.options.listTimeoutMs,
        );
      } catch (error) {
        // An expired continue token: start the list again, once, as client-go does.
        if (cont && statusOf(error) === 410 && !restartedAfterExpiry) {
          restartedAfterExpiry = true;
          items.length = 0;
          resourceVersion = undefined;
          cont = undefined;
          continue;
        }
        throw error;
      }
      items.push(...page.items);
      // Every page of one list is the same snapshot; its version is the first page's.
      resourceVersion ??= page.metadata?.resourceVersion;
      cont = (page.metadata as { continue?: string } | undefined)?.continue;
      if (!cont) break;
    }
    this.stats.lists += 1;
    this.observer?.listed(this.definition.name);
    this.failures = 0;
    // ListWatch adds the items right after this promise resolves (synchronously, in the same
    // microtask continuation), so by the next macrotask the cache holds them all.
    setImmediate(() => {
      if (this.syncedAt === null) {
        this.syncedAt = Date.now();
        for (const resolve of this.syncWaiters.splice(0)) resolve();
      }
    });
    return { metadata: { resourceVersion }, items };
  }
}
