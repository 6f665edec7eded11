// Waiting with a deadline: the agent never lets a slow control plane hold the host's shutdown.

/** Resolves true when `promise` settles (either way) within `ms`, false when the time runs out. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}
