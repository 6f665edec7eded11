// Sends a value that only matters in its latest version (a configuration acknowledgement: which
// version this instance runs now) so that the receiver sees the versions in the order they were
// set: one call at a time, and what was set meanwhile goes next — only the newest of it. Two
// calls in flight at once could arrive in either order, and an older acknowledgement landing
// last would tell the control plane this instance runs a version it has already left. A value
// that was not delivered is tried again after a capped backoff until it is, or a newer one
// takes its place.
import { Backoff, type BackoffOptions } from '../backoff.js';

/** Sends one value; resolves false when it should be tried again (not delivered), else true. */
export type SendLatest<T> = (value: T) => Promise<boolean>;

export class LatestSender<T> {
  readonly #send: SendLatest<T>;
  readonly #backoff: Backoff;
  #latest: T | undefined;
  #inFlight = false;
  /** Set while a call is in flight: send the latest again when it ends. */
  #again = false;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(send: SendLatest<T>, retry: BackoffOptions) {
    this.#send = send;
    this.#backoff = new Backoff(retry);
  }

  /** The last value set, if any. */
  get latest(): T | undefined {
    return this.#latest;
  }

  /** Makes `value` the latest and sends it (after the call in flight, if one is). */
  set(value: T): void {
    this.#latest = value;
    this.resend();
  }

  /** Sends the latest value now (after the call in flight), e.g. after a reconnect; nothing if none was set. */
  resend(): void {
    if (this.#latest === undefined || this.#stopped) return;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#inFlight = true;
    const value = this.#latest;
    void this.#send(value)
      .catch(() => false)
      .then((delivered) => {
        this.#inFlight = false;
        if (this.#again) {
          this.#again = false;
          this.resend();
        } else if (delivered) {
          this.#backoff.reset();
        } else if (!this.#stopped) {
          this.#retry = setTimeout(() => this.resend(), this.#backoff.next());
          this.#retry.unref();
        }
      });
  }

  /** No more sends or retries. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
  }
}
