// Names for the operations API's shapes (breakers, configuration, audit, tokens, access), taken
// from the generated types, never written by hand. Kept beside types.ts so the pages of issue 7
// do not edit the observation pages' list.
import type { paths } from './schema.generated';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<P extends keyof paths, M extends 'get' | 'post' | 'delete', S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: infer R };
}
  ? JsonOf<R>
  : never;
type BodyOf<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type Whoami = Ok<'/api/v1/whoami', 'get'>;
export type Role = NonNullable<Whoami['role']>;

export type BreakerFleet = Ok<'/api/v1/breakers', 'get'>;
export type BreakerService = BreakerFleet['services'][number];
export type BreakerSummary = BreakerService['breakers'][number];
export type BreakerInstance = BreakerSummary['instances'][number];
export type BreakerTransition = Ok<'/api/v1/breakers/transitions', 'get'>['transitions'][number];
export type BreakerCommand = Ok<'/api/v1/breakers/commands', 'get'>['commands'][number];
export type BreakerCommandBody = BodyOf<'/api/v1/breakers/commands', 'post'>;

export type ConfigDocumentSummary = Ok<'/api/v1/config', 'get'>['documents'][number];
export type ConfigDocument = Ok<'/api/v1/config/{service}/{environment}', 'get'>;
export type ConfigVersion = Ok<'/api/v1/config/{service}/{environment}/versions', 'get'>['versions'][number];
export type ConfigDrift = Ok<'/api/v1/config/{service}/{environment}/instances', 'get'>;
export type ConfigInstance = ConfigDrift['instances'][number];

export type AuditPage = Ok<'/api/v1/audit', 'get'>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;

export type ApiToken = Ok<'/api/v1/tokens', 'get'>['tokens'][number];
export type CreatedToken = Ok<'/api/v1/tokens', 'post', 201>;

export type Timeline = Ok<'/api/v1/services/{name}/timeline', 'get'>;
export type TimelineEvent = Timeline['events'][number];
