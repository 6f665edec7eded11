// Where the agent reports about itself. Its own messages go to stderr only: they are never
// exported as OTLP, so an agent that cannot reach the control plane cannot feed its own outage.
import { pino } from 'pino';

/** The subset of a pino logger the agent writes to; any pino logger fits. */
export interface AgentLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** pino on stderr, level from SIGNALBOX_AGENT_LOG_LEVEL (default info). */
export function defaultAgentLogger(env: Record<string, string | undefined>): AgentLogger {
  const wanted = env['SIGNALBOX_AGENT_LOG_LEVEL']?.trim().toLowerCase();
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const level = wanted !== undefined && levels.includes(wanted) ? wanted : 'info';
  const logger = pino({ name: '@signalbox/agent', level }, pino.destination({ fd: 2, sync: false }));
  if (wanted !== undefined && wanted !== level) {
    logger.warn({ value: wanted }, `SIGNALBOX_AGENT_LOG_LEVEL is not one of ${levels.join(', ')}; using info`);
  }
  return logger;
}
