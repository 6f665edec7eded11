// /healthz (liveness: the process answers) and /readyz (readiness: every critical check passes),
// served on the service's own Fastify instance or node http server, or on a port of their own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthChecks, ReadinessReport } from './checks.js';

export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** True for the agent's own endpoints (query string ignored): they are never traced. */
export function isHealthPath(url: string | undefined): boolean {
  if (url === undefined) return false;
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path === LIVENESS_PATH || path === READINESS_PATH;
}

/** The part of a Fastify reply the endpoints use. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): unknown;
}

/** The part of a Fastify instance the endpoints use (a FastifyInstance fits). */
export interface FastifyLike {
  get(path: string, handler: (request: unknown, reply: FastifyReplyLike) => unknown): unknown;
  readonly server: Server;
}

export type MountTarget = FastifyLike | Server;

export interface EndpointIdentity {
  service: string;
  instanceId: string;
  version: string;
}

export interface HealthResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

export class HealthEndpoints {
  private readonly started = Date.now();
  private ownServer: Server | undefined;

  constructor(
    private readonly checks: HealthChecks,
    private readonly identity: EndpointIdentity,
  ) {}

  liveness(): HealthResponse {
    return {
      statusCode: 200,
      body: {
        status: 'pass',
        service: this.identity.service,
        instance_id: this.identity.instanceId,
        version: this.identity.version,
        uptime_s: Math.round((Date.now() - this.started) / 1000),
      },
    };
  }

  async readiness(): Promise<HealthResponse> {
    const report: ReadinessReport = await this.checks.readiness();
    return {
      statusCode: report.status === 'pass' ? 200 : 503,
      body: { ...report, service: this.identity.service, instance_id: this.identity.instanceId },
    };
  }

  /**
   * For a plain node http handler: answers GET/HEAD /healthz and /readyz and returns true, or
   * returns false and leaves the request alone.
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isHealthPath(request.url)) return false;
    const isLiveness = (request.url ?? '').startsWith(LIVENESS_PATH);
    const answer = isLiveness ? Promise.resolve(this.liveness()) : this.readiness();
    answer.then(
      ({ statusCode, body }) => writeJson(response, statusCode, body, request.method === 'HEAD'),
      (error: unknown) => writeJson(response, 500, { status: 'fail', reason: String(error) }, false),
    );
    return true;
  }

  /**
   * Serves the endpoints on the service's own server. Fastify: call before `listen()` (routes
   * cannot be added to a started instance). node http: call after the request handler is set;
   * health requests are answered before it sees them. Returns the http server to watch for its
   * address.
   */
  mount(target: MountTarget): Server {
    if (isFastify(target)) {
      target.get(LIVENESS_PATH, (_request, reply) => sendReply(reply, this.liveness()));
      target.get(READINESS_PATH, async (_request, reply) => sendReply(reply, await this.readiness()));
      return target.server;
    }
    const server = target;
    const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.handle(request, response)) return;
      for (const handler of handlers) handler.call(server, request, response);
    });
    return server;
  }

  /** A server of the agent's own for the endpoints; it does not keep the process alive. */
  async listen(port: number, host: string): Promise<Server> {
    const server = createServer((request, response) => {
      if (!this.handle(request, response)) writeJson(response, 404, { status: 'fail', reason: 'not found' }, false);
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    this.ownServer = server;
    return server;
  }

  ownAddress(): AddressInfo | undefined {
    const address = this.ownServer?.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  async close(): Promise<void> {
    const server = this.ownServer;
    this.ownServer = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

function isFastify(target: MountTarget): target is FastifyLike {
  return typeof (target as Partial<FastifyLike>).get === 'function' && 'server' in target;
}

function sendReply(reply: FastifyReplyLike, { statusCode, body }: HealthResponse): unknown {
  return reply.code(statusCode).header('cache-control', 'no-store').send(body);
}

function writeJson(response: ServerResponse, statusCode: number, body: unknown, headOnly: boolean): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(headOnly ? undefined : text);
}
