// Picks the transport from the settings: JetStream when NATS_URL is set, else the fallback broker.
// Each is imported only when chosen, so a process loads one messaging client, not both.
import type { Logger } from 'pino';
import type { EventSettings } from '../settings.js';
import { createEventBus, type EventBus, type Transport } from './event-bus.js';

export async function connectEventBus(settings: EventSettings, source: string, logger: Logger): Promise<EventBus> {
  let transport: Transport;
  if (settings.kind === 'jetstream') {
    const { connectJetStream } = await import('./jetstream-transport.js');
    transport = await connectJetStream({
      servers: settings.servers,
      subjectPrefix: settings.subjectPrefix,
      name: source,
      logger,
    });
  } else {
    const { connectBroker } = await import('./broker-transport.js');
    transport = await connectBroker({ address: settings.address, logger });
  }
  return createEventBus(transport, { source, subjectPrefix: settings.subjectPrefix });
}
