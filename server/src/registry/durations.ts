// Durations in request bodies are strings like "10s", "500ms", "1m30s" (Consul and Go style),
// kept as milliseconds inside. The pattern lives here so the route schema and the parser agree.

/** One or more <number><unit> parts; units ms, s, m, h. */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;

/** Milliseconds of a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Math.round(total);
}

/** The shortest exact string for a number of milliseconds: 90000 → "1m30s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  let out = '';
  const hours = Math.floor(seconds / 3600);
  if (hours > 0) out += `${hours}h`;
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  if (minutes > 0) out += `${minutes}m`;
  seconds -= minutes * 60;
  if (seconds > 0) out += `${seconds}s`;
  return out;
}
