// Where the source finds its cluster: the pod's service account (in-cluster) or a kubeconfig
// file and context. Problems are reported as settings errors that name the flag to fix.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { type KubernetesSetting, SettingsError } from '../settings.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** API server URL. */
  cluster: string;
  /** kubeconfig context; null in-cluster. */
  context: string | null;
}

export function loadKubeConfig(
  setting: KubernetesSetting,
  context: string | undefined,
  options: {
    env?: NodeJS.ProcessEnv /** Prefix of the service account directory (tests). */;
    pathPrefix?: string;
  } = {},
): LoadedKubeConfig {
  const kc = new KubeConfig();
  if (setting.mode === 'off') throw new Error('the Kubernetes source is off');
  if (setting.mode === 'in-cluster') {
    const env = options.env ?? process.env;
    const dir = `${options.pathPrefix ?? ''}${SERVICE_ACCOUNT_DIR}`;
    if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) {
      throw new SettingsError(
        '--kubernetes / SIGNALBOX_KUBERNETES',
        'in-cluster needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT (is the server running in a pod?)',
      );
    }
    if (!existsSync(`${dir}/token`)) {
      throw new SettingsError(
        '--kubernetes / SIGNALBOX_KUBERNETES',
        `in-cluster needs a service account token at ${dir}/token (automountServiceAccountToken: true)`,
      );
    }
    // client-node reads these from process.env; with explicit env (tests) apply them around the call.
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
    process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
    try {
      kc.loadFromCluster(options.pathPrefix ?? '');
    } finally {
      for (const [key, value] of [
        ['KUBERNETES_SERVICE_HOST', saved.host],
        ['KUBERNETES_SERVICE_PORT', saved.port],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    return { kubeConfig: kc, cluster: kc.getCurrentCluster()?.server ?? '', context: null };
  }
  try {
    kc.loadFromFile(setting.path);
  } catch (error) {
    throw new SettingsError(
      '--kubernetes / SIGNALBOX_KUBERNETES',
      `cannot read kubeconfig "${setting.path}": ${(error as Error).message}`,
    );
  }
  if (context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(context)) {
      throw new SettingsError(
        '--kube-context / SIGNALBOX_KUBE_CONTEXT',
        `"${context}" is not a context of ${setting.path}; it has: ${names.join(', ') || 'none'}`,
      );
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new SettingsError(
      '--kube-context / SIGNALBOX_KUBE_CONTEXT',
      `${setting.path} has no current context with a cluster; name one with --kube-context`,
    );
  }
  if (cluster.server.startsWith('http://') && !cluster.skipTLSVerify) {
    // client-node refuses plain HTTP unless TLS verification is off, though there is no TLS to
    // verify; kubectl accepts such clusters (`kubectl proxy` serves http://127.0.0.1:8001).
    Object.assign(cluster, { skipTLSVerify: true });
  }
  return { kubeConfig: kc, cluster: cluster.server, context: kc.getCurrentContext() };
}
