// Sends a value that only matters in its latest version (a configuration acknowledgement: which
// version this instance runs now) so that the receiver sees the versions in the order they were
// set: one call at a time, and what was set meanwhile goes next — only the newest of it. Two
// calls in flight at once could arrive in either order, and an older acknowledgement landing
// last would tell the control plane this instance runs a version it has already left.

/** Sends one value; resolves when the call has ended (delivered or not), never rejects. */
export type SendLatest<T> = (value: T) => Promise<void>;

export class LatestSender<T> {
  #latest: T | undefined;
  #inFlight = false;
  /** Set while a call is in flight: send the latest again when it ends. */
  #again = false;

  constructor(private readonly send: SendLatest<T>) {}

  /** The last value set, if any. */
  get latest(): T | undefined {
    return this.#latest;
  }

  /** Makes `value` the latest and sends it (after the call in flight, if one is). */
  set(value: T): void {
    this.#latest = value;
    this.resend();
  }

  /** Sends the latest value again (after a reconnect, say); nothing if none was set. */
  resend(): void {
    if (this.#latest === undefined) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#inFlight = true;
    const value = this.#latest;
    void this.send(value)
      .catch(() => undefined)
      .then(() => {
        this.#inFlight = false;
        if (this.#again) {
          this.#again = false;
          this.resend();
        }
      });
  }
}
