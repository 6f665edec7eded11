// Paths and package facts of the repository the deploy files describe, read from the files
// themselves so a renamed bin, a bumped version or a moved port shows up as a failing check.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const KUSTOMIZE_DIR = join(DEPLOY_DIR, 'kubernetes');
export const DOCKER_DIR = join(DEPLOY_DIR, 'docker');

export interface PackageJson {
  name: string;
  version: string;
  bin?: Record<string, string> | string;
  main?: string;
  scripts?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function exists(relativePath: string): boolean {
  return existsSync(repoPath(relativePath));
}

export function readPackage(workspace: string): PackageJson {
  return JSON.parse(readFileSync(repoPath(workspace, 'package.json'), 'utf8')) as PackageJson;
}

/** The SIGNALBOX_* environment variables the server declares in its settings table. */
export function declaredServerEnv(): Set<string> {
  const source = readFileSync(repoPath('server/src/settings.ts'), 'utf8');
  return new Set([...source.matchAll(/env:\s*'(SIGNALBOX_[A-Z0-9_]+)'/g)].map((m) => m[1] as string));
}

/**
 * Settings the manifests set that open issues promise but the server may not read yet. Each is
 * accepted while missing from server/src/settings.ts; once it is there, its value is checked by
 * the server's own loadSettings like every other.
 */
export const PROMISED_SERVER_ENV: Readonly<Record<string, string>> = {
  SIGNALBOX_ADMIN_TOKEN: 'issue 7: bootstrap admin token',
  SIGNALBOX_KUBERNETES: 'issue 8: turns the Kubernetes source on (in-cluster service account)',
  SIGNALBOX_NAMESPACES: 'issue 8: namespaces the Kubernetes source watches',
};
