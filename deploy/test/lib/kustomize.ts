// Renders a kustomization with a maintained kustomize: a standalone `kustomize` binary when one
// is on PATH, else `kubectl kustomize` (kustomize v5 is built into kubectl 1.27+; the
// node-svc machine image ships kubectl 1.32). No cluster is involved: the kubeconfig handed to
// kubectl points at a closed loopback port, because some kubectl builds (the gcloud dispatcher)
// probe the server's version before running any command.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked by kind-specific checks
  [field: string]: any;
}

export interface Kustomize {
  /** argv before the kustomization directory. */
  command: readonly string[];
  /** kustomize's own version, e.g. v5.5.0. */
  version: string;
}

const MIN_MAJOR = 5;
let found: Kustomize | undefined;
let offlineEnv: NodeJS.ProcessEnv | undefined;

function env(): NodeJS.ProcessEnv {
  if (!offlineEnv) {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-kustomize-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: none, cluster: {server: "http://127.0.0.1:1"}}]',
        'contexts: [{name: none, context: {cluster: none}}]',
        'current-context: none',
        '',
      ].join('\n'),
    );
    offlineEnv = { ...process.env, KUBECONFIG: kubeconfig };
  }
  return offlineEnv;
}

function major(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? Number.NaN);
}

function tryRun(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { env: env(), encoding: 'utf8', timeout: 20_000 });
  return result.status === 0 ? result.stdout : undefined;
}

/** Finds kustomize v5+, or throws saying how to get one (the tests never skip for want of it). */
export function findKustomize(): Kustomize {
  if (found) return found;
  const tried: string[] = [];
  const standalone = tryRun('kustomize', ['version']);
  if (standalone !== undefined) {
    const version = /v?\d+\.\d+\.\d+/.exec(standalone)?.[0] ?? 'unknown';
    if (major(version) >= MIN_MAJOR) {
      found = { command: ['kustomize', 'build'], version };
      return found;
    }
    tried.push(`kustomize ${version} (older than v${MIN_MAJOR})`);
  } else tried.push('no kustomize on PATH');
  const kubectl = tryRun('kubectl', ['version', '--client', '-o', 'json']);
  if (kubectl !== undefined) {
    const version = (JSON.parse(kubectl) as { kustomizeVersion?: string }).kustomizeVersion ?? 'none';
    if (major(version) >= MIN_MAJOR) {
      found = { command: ['kubectl', 'kustomize'], version };
      return found;
    }
    tried.push(`kubectl with kustomize ${version} (older than v${MIN_MAJOR})`);
  } else tried.push('no kubectl on PATH');
  throw new Error(
    `deploy tests need kustomize v${MIN_MAJOR}+ to render the overlays (${tried.join('; ')}). ` +
      'Install kubectl 1.27+ (it carries kustomize) or a kustomize v5 binary onto PATH.',
  );
}

/** `kustomize build <dir>` as text: the exact bytes `kubectl apply -k` would send. */
export function renderText(dir: string): string {
  const { command } = findKustomize();
  const [bin, ...args] = command as [string, ...string[]];
  return execFileSync(bin, [...args, dir], { env: env(), encoding: 'utf8', timeout: 60_000 });
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
      return doc.toJSON() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

const cache = new Map<string, { text: string; objects: K8sObject[] }>();

/** Renders once per test process; returns fresh copies so tests may mutate them. */
export function render(dir: string): { text: string; objects: K8sObject[] } {
  let hit = cache.get(dir);
  if (!hit) {
    const text = renderText(dir);
    hit = { text, objects: parseObjects(text) };
    cache.set(dir, hit);
  }
  return { text: hit.text, objects: structuredClone(hit.objects) };
}
