// Validates rendered objects against the Kubernetes OpenAPI schemas, offline, in two passes:
// - kubernetes-models (schemas generated from the Kubernetes 1.27 OpenAPI document, compiled to
//   ajv validators): types, enums, required fields, formats. Version 4.x runs on Node 20; 5.x
//   needs Node 22.
// - unknown fields, which those schemas allow but `kubectl apply` (strict field validation, the
//   default since 1.27) rejects: checked against the field tables of @kubernetes/client-node's
//   models, which are generated from the same OpenAPI document.
import { createRequire } from 'node:module';
import * as k8s from '@kubernetes/client-node';
import type { K8sObject } from './kustomize.js';

const require = createRequire(import.meta.url);

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** `apps/v1` → `kubernetes-models/apps/v1`; `v1` → `kubernetes-models/v1`. */
function modelFor(apiVersion: string, kind: string): ModelClass {
  let group: Record<string, unknown>;
  try {
    group = require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  } catch {
    throw new Error(`no Kubernetes schema for apiVersion ${apiVersion}`);
  }
  const model = group[kind];
  if (typeof model !== 'function') throw new Error(`no Kubernetes schema for ${apiVersion} ${kind}`);
  return model as ModelClass;
}

/** Schema errors of one object as readable lines (empty when valid). */
export function schemaErrors(object: K8sObject): string[] {
  let Model: ModelClass;
  try {
    Model = modelFor(object.apiVersion, object.kind);
  } catch (error) {
    return [(error as Error).message];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!details) return [(error as Error).message];
    return details.map((d) => `${d.instancePath || '/'} ${d.message ?? 'is invalid'}`);
  }
}

interface Attribute {
  baseName: string;
  type: string;
}
type ModelTable = { attributeTypeMap?: Attribute[] } | undefined;

const SCALARS = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

function table(typeName: string): Attribute[] | undefined {
  return (k8s as unknown as Record<string, ModelTable>)[typeName]?.attributeTypeMap;
}

/** `apps/v1` + `Deployment` → `V1Deployment`; `autoscaling/v2` + HPA → `V2HorizontalPodAutoscaler`. */
export function modelTypeName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop() ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function walk(value: unknown, typeName: string, path: string, out: string[]): void {
  if (value === null || value === undefined || SCALARS.has(typeName)) return;
  const array = /^Array<(.+)>$/.exec(typeName);
  if (array) {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, array[1] as string, `${path}[${i}]`, out);
    }
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(typeName);
  if (map) {
    for (const [key, item] of Object.entries(value as object)) walk(item, map[1] as string, `${path}.${key}`, out);
    return;
  }
  const attributes = table(typeName);
  if (!attributes) {
    out.push(`${path}: no field table for ${typeName}`);
    return;
  }
  for (const [key, item] of Object.entries(value as object)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) out.push(`${path}.${key} is not a field of ${typeName}`);
    else walk(item, attribute.type, `${path}.${key}`, out);
  }
}

/** Fields the API server would refuse as unknown (strict field validation). */
export function unknownFields(object: K8sObject): string[] {
  const typeName = modelTypeName(object.apiVersion, object.kind);
  if (!table(typeName)) return [`no field table for ${object.apiVersion} ${object.kind}`];
  const out: string[] = [];
  walk(object, typeName, '', out);
  return out;
}
