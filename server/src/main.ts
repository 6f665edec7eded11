// Entry point of `signalbox-server`: parse settings (refusing bad ones, naming the setting),
// start both servers, and shut down gracefully on SIGTERM/SIGINT. `signalbox-server token …`
// and other commands run from cli/ instead.
import { setFlagsFromString } from 'node:v8';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { isCliCommand, runCli } from './cli/index.js';
import { loadSettings, SettingsError } from './settings.js';

// V8 moves objects of an allocation site straight to the old generation once most of them have
// outlived a young-generation collection. Ingest decodes a whole request into objects that live
// until the request is done, so the decoder's sites qualify; their objects then die in the old
// generation while still pointing at young strings, and every young collection keeps those
// strings and promotes them too. Young collections took about a third of a decode thread's time,
// and full collections cleaned up after them. Off, the server ingests 7–9 % more spans per CPU second
// (bench:ingest:compare). Process-wide: it reaches the worker threads started after it.
setFlagsFromString('--no-allocation-site-pretenuring');

async function main(): Promise<void> {
  // Settings are refused in two places: parsing, and modules that check what a value points
  // at while the app is built (a kubeconfig context, say). Both exit 2 naming the setting.
  const refuse = (error: unknown): never => {
    if (error instanceof SettingsError) {
      process.stderr.write(`signalbox-server: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  };
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings(process.argv.slice(2), process.env);
  } catch (error) {
    refuse(error);
    return;
  }
  const logger = pino({ level: settings.logLevel, base: { service: 'signalbox-server' } });
  const app = await buildApp(settings, { logger }).catch(refuse);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests, flushing, closing the store');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    deadline.unref();
    try {
      await app.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    const { apiUrl, otlpUrl } = await app.start();
    logger.info(
      {
        api: apiUrl,
        otlp: otlpUrl,
        docs: `${apiUrl}/docs`,
        store: app.context.store.location,
        replica: app.context.replicaId,
      },
      `Signalbox is up: API ${apiUrl} (docs ${apiUrl}/docs), OTLP/HTTP ${otlpUrl}, store ${app.context.store.dialect}`,
    );
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    await app.close().catch(() => {});
    process.exit(1);
  }
}

const argv = process.argv.slice(2);
if (isCliCommand(argv)) {
  process.exitCode = await runCli(argv, {
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
} else {
  await main();
}
