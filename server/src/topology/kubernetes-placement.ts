// Adapts the Kubernetes source to what topology placement needs: pods with the registry
// instances the link matched to them, and Kubernetes Services by name. Read from the informer
// caches in memory; nothing is asked of the cluster.
import type { KubernetesModule } from '../kubernetes/module.js';
import type { KubernetesPlacementPort } from './placement.js';

export function kubernetesPlacementPort(kubernetes: Pick<KubernetesModule, 'cache' | 'link'>): KubernetesPlacementPort {
  return {
    *pods() {
      const link = kubernetes.link;
      if (!link) return;
      for (const pod of kubernetes.cache.list('pods')) {
        const namespace = pod.metadata?.namespace ?? '';
        const name = pod.metadata?.name ?? '';
        const instanceIds = link.instancesOfPod(namespace, name);
        if (instanceIds.length > 0) yield { namespace, instanceIds };
      }
    },
    *services() {
      for (const svc of kubernetes.cache.list('services')) {
        const namespace = svc.metadata?.namespace;
        const name = svc.metadata?.name;
        if (namespace && name) yield { namespace, name };
      }
    },
  };
}
