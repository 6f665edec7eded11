// The overlays a user applies; each is rendered, validated, policy-checked and golden-tested.
import { join } from 'node:path';
import { KUSTOMIZE_DIR } from './repo.js';

export const OVERLAYS = ['embedded', 'ha', 'demo', 'namespaced'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export function overlayDir(overlay: Overlay): string {
  return join(KUSTOMIZE_DIR, 'overlays', overlay);
}

/** The namespace every overlay installs into (deploy/README.md tells users to create it). */
export const NAMESPACE = 'signalbox';
