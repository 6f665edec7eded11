// Wiring of the breakers module: the service, its routes, the expiry timer and its timeline source.
import type { PushBus } from '../config/push-bus.js';
import type { ModuleContext, ServerModule } from '../module.js';
import { BreakerService } from './breaker-service.js';
import { breakerRoutes } from './routes.js';

/** Longest sleep of the expiry timer; a new command wakes it sooner through the push bus. */
const EXPIRY_POLL_MS = 1000;

export interface BreakersModule extends ServerModule {
  readonly service: BreakerService;
}

export function createBreakersModule(context: ModuleContext, push: PushBus): BreakersModule {
  const service = new BreakerService(context.store, context.audit, push);
  const logger = context.logger.child({ module: 'breakers' });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  // Sleeps until the next expiry (at most EXPIRY_POLL_MS, so commands made on other replicas
  // are seen), expires what is due, and sleeps again.
  const tick = async () => {
    if (stopped) return;
    try {
      await service.expireDue();
    } catch (error) {
      logger.warn({ err: error }, 'could not expire breaker commands');
    }
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    void service.nextExpiry().then(
      (next) => {
        if (stopped) return;
        const delay = next === null ? EXPIRY_POLL_MS : Math.max(0, Math.min(EXPIRY_POLL_MS, next - Date.now()));
        clearTimeout(timer);
        timer = setTimeout(() => void tick(), delay);
        timer.unref();
      },
      () => {
        timer = setTimeout(() => void tick(), EXPIRY_POLL_MS);
        timer.unref();
      },
    );
  };

  context.timeline.addSource({
    name: 'breakers',
    async events(query) {
      const transitions = await service.transitions({
        service: query.service,
        from: query.from,
        to: query.to,
        limit: query.limit,
      });
      return transitions.map((t) => ({
        at: t.at,
        source: 'breakers',
        kind: `breaker.${t.to}`,
        summary: `breaker ${t.name} ${t.from} → ${t.to} on ${t.instance_id} (${t.reason})`,
        instance_id: t.instance_id,
        details: { name: t.name, from: t.from, to: t.to, reason: t.reason },
      }));
    },
  });

  return {
    name: 'breakers',
    service,
    apiRoutes: breakerRoutes(service),
    async start() {
      unsubscribe = push.subscribe((event) => {
        if (event.topic === 'breakers') schedule();
      });
      schedule();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      clearTimeout(timer);
    },
  };
}
