// Collects why records of one request were refused, for the response's partial_success: the
// count, and a message that names each distinct reason once with how often it occurred and
// where it first occurred, so a sender can find and fix the problem.

/** Thrown while converting one record; the record is refused, the rest of the request goes on. */
export class InvalidRecord extends Error {
  override name = 'InvalidRecord';
}

/** Thrown when the request as a whole cannot be decoded (answered with 400 and a Status). */
export class UndecodablePayload extends Error {
  override name = 'UndecodablePayload';
}

const MAX_REASONS_LISTED = 5;

export class Rejections {
  count = 0;
  readonly #reasons = new Map<string, { count: number; where: string }>();

  add(reason: string, where: string, count = 1): void {
    this.count += count;
    const entry = this.#reasons.get(reason);
    if (entry) entry.count += count;
    else this.#reasons.set(reason, { count, where });
  }

  /** Empty when nothing was refused. */
  message(noun: string): string {
    if (this.count === 0) return '';
    const parts: string[] = [];
    for (const [reason, { count, where }] of this.#reasons) {
      if (parts.length === MAX_REASONS_LISTED) {
        parts.push(`and ${this.#reasons.size - MAX_REASONS_LISTED} more reasons`);
        break;
      }
      parts.push(`${count} × ${reason} (first at ${where})`);
    }
    return `rejected ${this.count} ${noun}: ${parts.join('; ')}`;
  }
}
