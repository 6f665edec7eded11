// Preloaded into the benchmarked server (with --expose-gc): a full garbage collection on
// SIGUSR2, so the benchmark reads the live heap rather than live heap plus uncollected garbage.
process.on('SIGUSR2', () => globalThis.gc?.());
