// Names for the Kubernetes API's response shapes, taken from the generated types (never written
// by hand), as api/types.ts does for the other pages.
import type { paths } from '../../api/schema.generated';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: infer R } } ? JsonOf<R> : never;

export type KubeStatus = Ok<'/api/v1/kubernetes/status'>;
export type KubeNamespace = Ok<'/api/v1/kubernetes/namespaces'>['items'][number];
export type KubeWorkload = Ok<'/api/v1/kubernetes/workloads'>['items'][number];
export type KubeWorkloadDetail = Ok<'/api/v1/kubernetes/namespaces/{namespace}/workloads/{kind}/{name}'>;
export type KubePod = Ok<'/api/v1/kubernetes/pods'>['items'][number];
export type KubePodDetail = Ok<'/api/v1/kubernetes/namespaces/{namespace}/pods/{name}'>;
export type KubeContainer = KubePod['containers'][number];
export type KubeProblem = KubePod['problems'][number];
export type KubeEvent = Ok<'/api/v1/kubernetes/events'>['items'][number];
export type KubeLogs = Ok<'/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs'>;
export type KubeLogLine = KubeLogs['lines'][number];
export type KubeSeverity = KubePod['severity'];
export type WorkloadKind = KubeWorkload['kind'];
