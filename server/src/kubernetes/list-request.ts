// One page of a list, as the API server's JSON. client-node's typed list calls deserialize every
// object into model classes (Date objects for times): for 5,000 pods that costs three times the
// JSON parse itself, and the objects then differ from what the watch delivers (plain JSON). So
// lists go out the way client-node's own Watch sends its requests: the KubeConfig applies the
// credentials and TLS settings (RequestContext, its undici dispatcher), and undici fetches.
import { HttpMethod, type KubeConfig, type KubernetesListObject, RequestContext } from '@kubernetes/client-node';
import { fetch } from 'undici';

/** A failed list, with the HTTP status where ListWatch and our retry logic look for it. */
export class ListError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ListError';
  }

  /** ListWatch (and client-node's ApiException) use `code` for the status too. */
  get code(): number {
    return this.statusCode;
  }
}

export async function listPage<T>(
  kc: KubeConfig,
  path: string,
  query: Record<string, string>,
  timeoutMs: number,
): Promise<KubernetesListObject<T & object>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server + path);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const context = new RequestContext(url.toString(), HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  const response = await fetch(url, {
    headers: { ...context.getHeaders(), accept: 'application/json' },
    dispatcher: context.getDispatcher(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    const text = await response.text().catch(() => '');
    let message = text.slice(0, 300);
    try {
      // The API server explains itself in a Status object.
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON
    }
    throw new ListError(response.status, `${response.statusText}: ${message}`);
  }
  return (await response.json()) as KubernetesListObject<T & object>;
}
