// Names for the API's response shapes, taken from the generated types (never written by hand),
// so components can say `Instance` instead of a path expression.
import type { paths } from './schema.generated';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: { 200: infer R } }
  ? JsonOf<R>
  : never;
export type QueryOf<P extends keyof paths> = paths[P]['get'] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

export type ServiceList = Ok<'/api/v1/services', 'get'>;
export type ServiceSummary = ServiceList['services'][number];
export type ServiceDetail = Ok<'/api/v1/services/{name}', 'get'>;
export type Instance = Ok<'/api/v1/instances/{id}', 'get'>;
export type HealthStatus = Instance['status'];
export type InstanceHistory = Ok<'/api/v1/instances/{id}/history', 'get'>;
export type Transition = InstanceHistory['transitions'][number];
export type ServiceRed = Ok<'/api/v1/services/{name}/red', 'get'>;
export type RedSeries = ServiceRed['series'];
export type Topology = Ok<'/api/v1/topology', 'get'>;
export type TopologyNode = Topology['nodes'][number];
export type TopologyEdge = Topology['edges'][number];
export type TraceSearch = Ok<'/api/v1/traces', 'get'>;
export type TraceSummary = TraceSearch['traces'][number];
export type TraceDetail = Ok<'/api/v1/traces/{traceId}', 'get'>;
export type Span = TraceDetail['spans'][number];
export type CompactTrace = Ok<'/api/v1/traces/{traceId}/compact', 'get'>;
export type LogPage = Ok<'/api/v1/logs', 'get'>;
export type LogVolume = Ok<'/api/v1/logs/volume', 'get'>;
export type LogPatterns = Ok<'/api/v1/logs/patterns', 'get'>;
export type LogRecord = LogPage['logs'][number];
export type TraceSearchQuery = QueryOf<'/api/v1/traces'>;
export type LogSearchQuery = QueryOf<'/api/v1/logs'>;
