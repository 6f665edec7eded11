// The agent's own version, sent in the User-Agent and as telemetry.sdk metadata.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AGENT_VERSION: string = (require('../package.json') as { version: string }).version;
