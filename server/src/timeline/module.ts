// Wiring of the timeline: the service lives on the context (`context.timeline`) so any module can
// add a source; this module adds the two sources every server has and serves the route.
import type { ModuleContext, ServerModule } from '../module.js';
import { timelineRoutes } from './routes.js';
import { auditSource, healthSource } from './sources.js';

export function createTimelineModule(context: ModuleContext): ServerModule {
  context.timeline.addSource(auditSource(context.audit));
  context.timeline.addSource(healthSource(context.store));
  return { name: 'timeline', apiRoutes: timelineRoutes(context.timeline) };
}
