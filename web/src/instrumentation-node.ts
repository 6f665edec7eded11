// The Node.js half of instrumentation.ts (kept apart so the edge bundle never sees process.exit).
import { loadWebSettings } from './lib/settings';

export function validateSettingsAtStart(): void {
  try {
    const settings = loadWebSettings(process.env);
    console.log(`signalbox dashboard: API at ${settings.apiUrl}`);
  } catch (error) {
    console.error(`signalbox dashboard: ${(error as Error).message}`);
    process.exit(2);
  }
}
