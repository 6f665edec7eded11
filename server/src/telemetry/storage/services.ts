// The services that have stored telemetry, found through their resources (a small table), for
// the SQLite paths that go service by service through the (service, time) indexes.
import type { Store } from '../../store/store.js';

/** The services with stored telemetry (their resources), for merging per-service indexes. */
export async function servicesOf(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('telemetry_resources').select('service').distinct().execute();
  return rows.map((r) => r.service);
}

/** SQLite allows 500 terms in a compound SELECT; merge per-service queries in groups. */
export function groupsOf<T>(items: T[], size = 100): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
