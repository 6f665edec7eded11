// NATS for the demo's tests: the machine's server with JetStream at 127.0.0.1:4222. Skipped
// with the reason when absent; under CI=true its absence fails the run.
import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamName } from '../../src/events/jetstream-transport.js';

export const NATS_URL = process.env['SIGNALBOX_TEST_NATS'] ?? '127.0.0.1:4222';

async function probe(): Promise<string | null> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

const problem = await probe();
if (problem && process.env['CI'] === 'true') {
  throw new Error(`CI=true but NATS JetStream at ${NATS_URL} is unreachable: ${problem}`);
}

export const natsSkip: { skip?: string } = problem
  ? { skip: `NATS JetStream not reachable at ${NATS_URL}: ${problem}` }
  : {};

/** A subject prefix (and so a stream) of the test's own. */
export function uniqueSubjectPrefix(): string {
  return `demotest-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function deleteStream(subjectPrefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
  try {
    await (await jetstreamManager(nc)).streams.delete(streamName(subjectPrefix)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}
