// Reads a Server-Sent Events stream in tests: each event as { event, data } in arrival order,
// with `next(type)` waiting for the next event of a type.
export interface SseEvent {
  event: string;
  data: unknown;
}

export interface SseReader {
  events: SseEvent[];
  status: number;
  next(type: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let consumed = 0;
  if (response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) {
              events.push({ event, data: JSON.parse(data) as unknown });
              for (const wake of waiters.splice(0)) wake();
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    events,
    status: response.status,
    async next(type, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((e, i) => i >= consumed && e.event === type);
        if (index !== -1) {
          consumed = index + 1;
          return events[index] as SseEvent;
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `no "${type}" event within ${timeoutMs} ms (got ${JSON.stringify(events.map((e) => e.event))})`,
          );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close() {
      abort.abort();
    },
  };
}
