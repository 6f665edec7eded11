// The fallback broker's wire format: one JSON object per line over TCP. Deliberately tiny; it
// exists so the fleet runs on a laptop without NATS, not to compete with it.

export type ClientFrame =
  | { op: 'sub'; ref: number; consumer: string; subject: string }
  | { op: 'pub'; ref: number; subject: string; headers: Record<string, string>; body: string; id: string }
  | { op: 'ping'; ref: number };

export type BrokerFrame =
  | { op: 'ack'; ref: number }
  | { op: 'msg'; subject: string; headers: Record<string, string>; body: string; id: string };

/** Splits a byte stream into parsed lines; malformed lines are reported, not thrown. */
export function lineReader(onFrame: (frame: unknown) => void, onBadLine: (line: string) => void) {
  let pending = '';
  return (chunk: Buffer | string) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') {
        let frame: unknown;
        try {
          frame = JSON.parse(line);
        } catch {
          onBadLine(line);
        }
        if (frame !== undefined) onFrame(frame);
      }
      newline = pending.indexOf('\n');
    }
  };
}

export function encode(frame: ClientFrame | BrokerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}
