// The machine's PostgreSQL (127.0.0.1:5432, db `test`) and NATS (127.0.0.1:4222) for the
// dependency checks. Like the server's tests: skipped with the reason on a laptop without them,
// a failure under CI=true.
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

export const POSTGRES_URL = process.env['SIGNALBOX_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const NATS_URL = process.env['SIGNALBOX_TEST_NATS'] ?? '127.0.0.1:4222';

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeNats(): Promise<string | null> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
    await nc.close();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

const [postgresProblem, natsProblem] = await Promise.all([probePostgres(), probeNats()]);
if (process.env['CI'] === 'true' && (postgresProblem || natsProblem)) {
  throw new Error(`CI=true but a test dependency is unreachable: ${postgresProblem ?? natsProblem}`);
}

export const postgresSkip: { skip?: string } = postgresProblem
  ? { skip: `PostgreSQL not reachable at ${POSTGRES_URL}: ${postgresProblem}` }
  : {};
export const natsSkip: { skip?: string } = natsProblem
  ? { skip: `NATS not reachable at ${NATS_URL}: ${natsProblem}` }
  : {};
