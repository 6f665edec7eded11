'use client';
// A small hook over EventSource: subscribe to named Server-Sent Events on a URL (through the
// dashboard's /api/v1 proxy, so the sign-in cookie goes along) and report the connection
// state. EventSource reconnects by itself after network errors; a refused stream (4xx) closes.
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export function useEventStream(
  url: string | null,
  handlers: Record<string, (data: string) => void>,
): { state: StreamState; restart(): void } {
  const [state, setState] = useState<StreamState>('idle');
  const [attempt, setAttempt] = useState(0);
  // Handlers change every render; keep the latest without reconnecting.
  const latest = useRef(handlers);
  latest.current = handlers;
  const events = Object.keys(handlers).sort().join(',');

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt restarts the stream on purpose
  useEffect(() => {
    if (!url) {
      setState('idle');
      return undefined;
    }
    setState('connecting');
    const source = new EventSource(url);
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    const listeners = events
      .split(',')
      .filter(Boolean)
      .map((name) => {
        const listener = (event: MessageEvent<string>) => latest.current[name]?.(event.data);
        source.addEventListener(name, listener);
        return [name, listener] as const;
      });
    return () => {
      for (const [name, listener] of listeners) source.removeEventListener(name, listener);
      source.close();
    };
  }, [url, events, attempt]);

  return { state, restart: () => setAttempt((n) => n + 1) };
}
