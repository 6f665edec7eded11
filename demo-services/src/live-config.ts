// The demo services' live configuration, pushed by the control plane: fault injection for now.
// The agent calls `parseDemoConfig` on every pushed version; it throws on a bad value, so the
// agent rejects that version (and says why) and the faults in force stay as they were.
import { type FaultSettings, parseFaults } from './faults.js';

export interface DemoConfig {
  faults: FaultSettings;
}

export function parseDemoConfig(raw: unknown): DemoConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('the document must be an object');
  const faultsInput = (raw as { faults?: unknown }).faults ?? {};
  if (typeof faultsInput !== 'object' || faultsInput === null || Array.isArray(faultsInput)) {
    throw new Error('faults must be an object');
  }
  const problems: string[] = [];
  const faults = parseFaults(faultsInput as Record<string, unknown>, (message) => problems.push(message));
  if (problems.length > 0) throw new Error(`faults: ${problems.join('; ')}`);
  return { faults };
}
