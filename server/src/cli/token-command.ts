// `signalbox-server token create|list|revoke`: manage API tokens straight in the store, e.g. to
// make the first admin token of an install without SIGNALBOX_ADMIN_TOKEN. The new token alone is
// printed on stdout (TOKEN=$(signalbox-server token create …)); everything else goes to stderr.
// Changes are audited with the actor "cli (user@host)".
import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';
import { isRole, ROLES } from '../auth/roles.js';
import { TokenService, tokenNameProblem } from '../auth/token-service.js';
import { parseDuration } from '../registry/durations.js';
import { loadSettings, SettingsError } from '../settings.js';
import { openStore } from '../store/store.js';
import type { CliIo } from './index.js';

const USAGE = `usage:
  signalbox-server token create --name NAME --role viewer|operator|admin [--expires-in 720h] [--store URL]
  signalbox-server token list [--all] [--store URL]
  signalbox-server token revoke ID [--reason TEXT] [--store URL]
--store defaults to SIGNALBOX_STORE, else the server's default (sqlite:./signalbox-data/signalbox.db).
`;

class UsageError extends Error {}

function cliPrincipal(): Principal {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return { kind: 'system', id: 'cli', name: `cli (${user}@${hostname()})`, role: 'admin' };
}

function storeUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return loadSettings(flag === undefined ? [] : ['--store', flag], { SIGNALBOX_STORE: env.SIGNALBOX_STORE }).store;
}

export async function tokenCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`signalbox-server token: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let url: string;
  try {
    url = storeUrl(parsed.values.store, io.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      io.err(`signalbox-server token: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const store = await openStore(url);
  try {
    await store.migrate();
    const tokens = new TokenService(store, new AuditLog(store), pino({ level: 'silent' }));
    const { action, values, positionals } = parsed;
    if (action === 'create') {
      const name = values.name as string;
      const role = values.role as string;
      const expiresInMs = values['expires-in'] === undefined ? undefined : parseDuration(values['expires-in']);
      const created = await tokens.create({ name, role: role as (typeof ROLES)[number], expiresInMs }, cliPrincipal());
      io.out(`${created.token}\n`);
      io.err(
        `created ${created.role} token "${created.name}" (id ${created.id}) in ${store.location}; it is shown only this once\n`,
      );
    } else if (action === 'list') {
      for (const token of await tokens.list(values.all === true)) {
        const state = token.revoked_at !== null ? `revoked ${new Date(token.revoked_at).toISOString()}` : 'active';
        io.out(`${token.id}\t${token.role}\t${token.name}\t${state}\n`);
      }
    } else {
      const revoked = await tokens.revoke(positionals[0] as string, cliPrincipal(), values.reason);
      io.err(`revoked token "${revoked.name}" (id ${revoked.id})\n`);
    }
    return 0;
  } catch (error) {
    io.err(`signalbox-server token: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

function parse(argv: string[]) {
  const [action, ...rest] = argv;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    throw new UsageError(`expected create, list or revoke, got "${action ?? ''}"`);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: action === 'revoke',
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      'expires-in': { type: 'string' },
      store: { type: 'string' },
      all: { type: 'boolean' },
      reason: { type: 'string' },
    },
  });
  if (action === 'create') {
    if (!values.name?.trim()) throw new UsageError('--name is required');
    const problem = tokenNameProblem(values.name);
    if (problem) throw new UsageError(`--name ${problem}`);
    if (!values.role || !isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    if (values['expires-in'] !== undefined && !parseDuration(values['expires-in'])) {
      throw new UsageError(`--expires-in must be a duration such as 720h, got "${values['expires-in']}"`);
    }
  }
  if (action === 'revoke' && positionals.length !== 1) throw new UsageError('revoke takes one token id');
  return { action, values, positionals };
}
