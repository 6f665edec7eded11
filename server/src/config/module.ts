// Wiring of the configuration module: the push bus (LISTEN/NOTIFY on PostgreSQL), the service,
// the agent channel and the routes. The breakers module supplies the channel's commands.
import { SseHub } from '../kubernetes/sse.js';
import type { ModuleContext, ServerModule } from '../module.js';
import { AgentChannel, type CommandSource } from './agent-channel.js';
import { ConfigService } from './config-service.js';
import { PushBus } from './push-bus.js';
import { RolloutLoop } from './rollout-loop.js';
import { rolloutRoutes } from './rollout-routes.js';
import { RolloutService } from './rollout-service.js';
import { configRoutes } from './routes.js';

export interface ConfigModule extends ServerModule {
  readonly service: ConfigService;
  readonly channel: AgentChannel;
  readonly rollouts: RolloutService;
}

export function createPushBus(context: ModuleContext): PushBus {
  return new PushBus(
    context.store,
    context.settings.store,
    context.replicaId,
    context.logger.child({ module: 'push' }),
  );
}

export interface ConfigModuleOptions {
  /** How often baking rollouts are evaluated. */
  rolloutIntervalMs?: number;
}

export function createConfigModule(
  context: ModuleContext,
  push: PushBus,
  commands: CommandSource,
  options: ConfigModuleOptions = {},
): ConfigModule {
  const logger = context.logger.child({ module: 'config' });
  const service = new ConfigService(context.store, context.audit, push);
  const channel = new AgentChannel(service, commands, push, logger);
  const hub = new SseHub();
  const rollouts = new RolloutService(context.store, service, context.audit, push);
  const loop = new RolloutLoop(context.store, rollouts, logger.child({ part: 'rollouts' }), options.rolloutIntervalMs);
  const documents = configRoutes(service, channel, hub);
  const staged = rolloutRoutes(rollouts);
  return {
    name: 'config',
    service,
    channel,
    rollouts,
    apiRoutes: async (app) => {
      await app.register(documents);
      await app.register(staged);
    },
    async start() {
      await push.start();
      loop.start();
    },
    async stop() {
      await loop.stop();
      hub.closeAll('the server is shutting down');
      channel.stop();
      await push.stop();
    },
  };
}
