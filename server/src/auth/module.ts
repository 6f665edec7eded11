// Wiring of the token API into the server. The authenticator itself is built by app.ts (the
// access hook needs it before any module's routes) and reaches this module through the context.
import type { ModuleContext, ServerModule } from '../module.js';
import { authRoutes } from './routes.js';

export function createAuthModule(context: ModuleContext): ServerModule {
  return { name: 'auth', apiRoutes: authRoutes(context.auth) };
}
