// The Kubernetes source as a server module: informers started with the server (not awaited, so
// an unreachable cluster never blocks the rest; /readyz says when the caches have loaded), the
// registry link, the API routes, and its own metrics.
import type { KubeConfig } from '@kubernetes/client-node';
import { Counter, Gauge } from 'prom-client';
import type { ModuleContext, ServerModule } from '../module.js';
import type { LogQueries } from '../telemetry/query/log-queries.js';
import { ClusterCache } from './cluster-cache.js';
import { ClusterView } from './cluster-view.js';
import { DEFAULT_INFORMER_OPTIONS, type InformerOptions } from './informers.js';
import { loadKubeConfig } from './kubeconfig.js';
import { PodLogs } from './pod-logs.js';
import {
  DEFAULT_REGISTRY_LINK_OPTIONS,
  RegistryLink,
  type RegistryLinkOptions,
  type RegistryPort,
} from './registry-link.js';
import { RESOURCE_NAMES } from './resources.js';
import { kubernetesRoutes } from './routes.js';
import { SseHub } from './sse.js';
import { kubernetesTimelineSource } from './timeline-source.js';
import { type LogWriter, WarningEventLogs } from './warning-logs.js';

export interface KubernetesModuleDeps {
  /** The registry, to match instances to pods and report pod readiness. */
  registry?: RegistryPort;
  /** Telemetry's ingest, to store Warning events as log records (with --kube-warning-logs). */
  logs?: LogWriter;
  /** Telemetry's log queries, to read those records back for the service timeline. */
  storedLogs?: LogQueries;
}

export interface KubernetesModuleOverrides {
  /** A ready KubeConfig instead of the one the settings name (tests). */
  kubeConfig?: KubeConfig;
  informer?: Partial<InformerOptions>;
  registryLink?: Partial<RegistryLinkOptions>;
}

export interface KubernetesModule extends ServerModule {
  readonly cache: ClusterCache;
  readonly view: ClusterView;
  readonly logs: PodLogs;
  readonly link: RegistryLink | undefined;
  readonly warningLogs: WarningEventLogs | undefined;
}

export function createKubernetesModule(
  context: ModuleContext,
  deps: KubernetesModuleDeps = {},
  overrides: KubernetesModuleOverrides = {},
): KubernetesModule {
  const { settings, metrics } = context;
  const logger = context.logger.child({ module: 'kubernetes' });
  const loaded = overrides.kubeConfig
    ? {
        kubeConfig: overrides.kubeConfig,
        cluster: overrides.kubeConfig.getCurrentCluster()?.server ?? '',
        context: overrides.kubeConfig.getCurrentContext(),
      }
    : loadKubeConfig(settings.kubernetes, settings.kubeContext);
  const kc = loaded.kubeConfig;

  const registers = [metrics.registry];
  const lists = new Counter({
    name: 'signalbox_kubernetes_lists_total',
    help: 'Full lists of a Kubernetes resource (the first, then relists after 410 Gone or restarts)',
    labelNames: ['resource'],
    registers,
  });
  const restarts = new Counter({
    name: 'signalbox_kubernetes_watch_restarts_total',
    help: 'Kubernetes watches restarted after an error',
    labelNames: ['resource'],
    registers,
  });

  const cache = new ClusterCache(kc, {
    namespaces: settings.namespaces,
    informer: { ...DEFAULT_INFORMER_OPTIONS, ...overrides.informer },
    logger,
    observer: {
      listed: (resource) => lists.inc({ resource }),
      restarted: (resource) => restarts.inc({ resource }),
    },
  });
  new Gauge({
    name: 'signalbox_kubernetes_objects',
    help: 'Objects held in the Kubernetes informer caches',
    labelNames: ['resource'],
    registers,
    collect() {
      for (const resource of RESOURCE_NAMES) {
        if (cache.watches(resource)) this.set({ resource }, cache.list(resource).length);
      }
    },
  });
  new Gauge({
    name: 'signalbox_kubernetes_synced',
    help: '1 once every Kubernetes cache has loaded its first list',
    registers,
    collect() {
      this.set(cache.synced ? 1 : 0);
    },
  });

  if (settings.kubeWarningLogs && !deps.logs) {
    logger.warn('--kube-warning-logs is on but no log storage was given; Warning events are not stored as logs');
  }
  const warningLogs =
    settings.kubeWarningLogs && deps.logs
      ? new WarningEventLogs(cache, deps.logs, logger, metrics.registry)
      : undefined;
  context.timeline.addSource(kubernetesTimelineSource(cache, warningLogs ? deps.storedLogs : undefined));
  const view = new ClusterView(cache, {
    cluster: loaded.cluster,
    context: loaded.context,
    warningLogs: warningLogs !== undefined,
  });
  const link = deps.registry
    ? new RegistryLink(cache, view, deps.registry, logger, {
        ...DEFAULT_REGISTRY_LINK_OPTIONS,
        ...overrides.registryLink,
      })
    : undefined;
  if (link) view.setInstanceLookup(link);
  const logs = new PodLogs(kc, (ns, name) => cache.get('pods', ns, name));
  const sse = new SseHub();
  let stopped = false;

  return {
    name: 'kubernetes',
    cache,
    view,
    logs,
    link,
    warningLogs,
    apiRoutes: kubernetesRoutes(view, logs, sse),
    async start() {
      logger.info(
        {
          cluster: loaded.cluster,
          context: loaded.context,
          namespaces: settings.namespaces.length ? settings.namespaces : 'all',
        },
        'kubernetes source starting',
      );
      cache.start();
      link?.start();
      void cache.whenSynced().then(() => {
        if (stopped) return;
        // What the caches hold at sync is history; only what happens from now on is stored.
        warningLogs?.start();
        const timing = cache.syncTiming();
        logger.info(
          { sync_ms: timing?.durationMs, pods: cache.list('pods').length, events: cache.events.size },
          'kubernetes caches synced',
        );
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      sse.closeAll('the server is shutting down');
      await link?.stop();
      await cache.stop();
      await warningLogs?.stop();
    },
    notReadyReason: () => cache.notSyncedReason(),
  };
}
