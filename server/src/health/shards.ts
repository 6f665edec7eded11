// Check targets are shared between replicas by shard: an instance belongs to the shard given by
// a hash of its id, and a replica probes the instances of the shards it holds a lease on. The
// shard count is fixed because it is stored with each instance; 64 spreads evenly over the few
// replicas anyone runs while keeping lease bookkeeping to a handful of rows.
export const SHARD_COUNT = 64;

/** FNV-1a (32 bit) of the id, modulo the shard count: stable across processes and versions. */
export function shardOf(instanceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < instanceId.length; i++) {
    hash ^= instanceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SHARD_COUNT;
}
