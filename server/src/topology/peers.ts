// Names the other end of a CLIENT or PRODUCER span whose partner never arrived: a database, a
// message broker destination, another (uninstrumented) service or an external host, from the
// OpenTelemetry semantic-convention attributes. Both the current names (db.system.name,
// db.namespace, server.address) and the older ones (db.system, db.name, net.peer.name) are read,
// because agents in the field send either.
import { isIP } from 'node:net';
import type { Attributes, AttributeValue } from '../telemetry/model.js';

export type NodeType = 'service' | 'database' | 'messaging' | 'external';

export interface Peer {
  name: string;
  type: NodeType;
}

/** Longest peer name kept; attribute values are user data and may be huge. */
const MAX_NAME = 200;

function text(value: AttributeValue | undefined): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed.slice(0, MAX_NAME);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function first(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = text(attributes[key]);
    if (value !== null) return value;
  }
  return null;
}

const DB_SYSTEM = ['db.system.name', 'db.system'] as const;
const DB_NAME = ['db.namespace', 'db.name'] as const;
const MESSAGING_SYSTEM = ['messaging.system'] as const;
const DESTINATION = ['messaging.destination.name', 'messaging.destination', 'messaging.destination.template'] as const;
const ADDRESS = ['server.address', 'net.peer.name', 'network.peer.address', 'net.peer.ip'] as const;
const PORT = ['server.port', 'net.peer.port', 'network.peer.port'] as const;
/** Every attribute inferPeer reads (the span listener asks the receiver for these only). */
export const PEER_ATTRIBUTE_KEYS: readonly string[] = [
  'peer.service',
  ...DB_SYSTEM,
  ...DB_NAME,
  ...MESSAGING_SYSTEM,
  ...DESTINATION,
  ...ADDRESS,
  ...PORT,
  'url.full',
  'http.url',
  'http.host',
];

/** The host a span calls: a name, or an address with its port (see externalName). */
function hostOf(attributes: Attributes): { host: string; port: string | null } | null {
  const address = first(attributes, ADDRESS);
  if (address !== null) return { host: address, port: first(attributes, PORT) };
  const url = first(attributes, ['url.full', 'http.url']);
  if (url !== null) {
    try {
      const parsed = new URL(url);
      // URL leaves the port empty when it is the scheme's default.
      return parsed.hostname ? { host: parsed.hostname, port: parsed.port || null } : null;
    } catch {
      return null;
    }
  }
  const host = first(attributes, ['http.host']);
  return host === null ? null : { host, port: null };
}

/**
 * An external node's name: a host name alone (api.stripe.com, whatever its port), but an IP
 * address or localhost with its port. Several services behind one address (127.0.0.1:7002 and
 * :7004 on a laptop, a node's IP with host ports) are different peers, and one node named by
 * the address alone would merge their traffic and errors.
 */
function externalName({ host, port }: { host: string; port: string | null }): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (port === null || (isIP(bare) === 0 && bare !== 'localhost')) return host;
  return isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/**
 * The peer a span talks to, or null when its attributes do not say. `peer.service` wins where
 * it is set, because the instrumenting team chose that name on purpose.
 */
export function inferPeer(attributes: Attributes): Peer | null {
  const peerService = text(attributes['peer.service']);
  const dbSystem = first(attributes, DB_SYSTEM);
  if (dbSystem !== null) {
    if (peerService !== null) return { name: peerService, type: 'database' };
    const name = first(attributes, DB_NAME) ?? hostOf(attributes)?.host ?? null;
    return { name: name === null ? dbSystem : `${dbSystem}/${name}`, type: 'database' };
  }
  const messagingSystem = first(attributes, MESSAGING_SYSTEM);
  if (messagingSystem !== null) {
    if (peerService !== null) return { name: peerService, type: 'messaging' };
    const destination = first(attributes, DESTINATION);
    return { name: destination === null ? messagingSystem : `${messagingSystem}/${destination}`, type: 'messaging' };
  }
  if (peerService !== null) return { name: peerService, type: 'service' };
  const host = hostOf(attributes);
  if (host !== null) return { name: externalName(host), type: 'external' };
  return null;
}

/**
 * A CLIENT span that calls a database: databases send no spans, so such a call has no partner
 * to wait for (Tempo's service-graph processor records these edges at once too).
 */
export function callsDatabase(attributes: Attributes): boolean {
  return first(attributes, DB_SYSTEM) !== null;
}

/** The node id the API uses: a service's name as is, other nodes prefixed by their type. */
export function nodeId(name: string, type: NodeType): string {
  return type === 'service' ? name : `${type}:${name}`;
}
