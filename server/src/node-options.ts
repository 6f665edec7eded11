// Node options the server runs with, wherever it is started: `npm run demo`, `npm start`, the
// container image (as NODE_OPTIONS), the ingest benchmark.
//
// A young generation of 32 MB semi-spaces rather than V8's 16: the server's thread holds several
// decoded requests at once, which a young collection copies each time it runs; with half as
// many collections the server ingested 6–8 % more spans per CPU second (bench:ingest:compare).
// It only grows that far under load. It must be given at start: V8 sizes the main thread's heap
// before any code runs (main.ts sets what can still be set then).
export const SERVER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Resource limits of the server's worker threads (decoding, the SQLite writer, checkpoints; all
 * started by telemetry/worker-entry.ts): a young generation of V8's default size (three 16 MB
 * semi-spaces), not the main thread's larger one. They hold one request or one commit at a time: with the larger one the server ingested no
 * more (bench:ingest:compare, 102 %, within noise) and only used more memory (the server's resident
 * set under bench:ingest's load: ~570–600 MB with 16 MB semi-spaces everywhere, ~640 MB with 32 MB
 * on the main thread only, ~660 MB with 32 MB everywhere).
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 48 } as const;
