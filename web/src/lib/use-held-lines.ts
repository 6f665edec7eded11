'use client';
// Lines arriving over a live stream, with pause: while paused the stream stays open and new
// lines are held back (and counted) instead of moving what the reader is looking at; resume
// shows them. Shared by the live log tail and the pod log viewer.
import { useCallback, useRef, useState } from 'react';

/** Where new lines go: on top (newest first) or at the bottom (oldest first, like a terminal). */
export type LineOrder = 'newest-first' | 'oldest-first';

export interface HeldLines<T> {
  lines: (T & { key: number })[];
  /** How many lines arrived while paused and are not shown yet. */
  held: number;
  paused: boolean;
  pause: () => void;
  resume: () => void;
  /** Adds a line (held back while paused); stable across renders, so safe in stream handlers. */
  push: (line: T) => void;
  clear: () => void;
}

export function useHeldLines<T extends object>(keep: number, order: LineOrder): HeldLines<T> {
  const [lines, setLines] = useState<(T & { key: number })[]>([]);
  const [held, setHeld] = useState<(T & { key: number })[]>([]);
  const [paused, setPaused] = useState(false);
  const sequence = useRef(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const add = useCallback(
    (list: (T & { key: number })[], more: (T & { key: number })[]) =>
      order === 'newest-first' ? [...more, ...list].slice(0, keep) : [...list, ...more].slice(-keep),
    [keep, order],
  );
  const push = useCallback(
    (line: T) => {
      const keyed = { ...line, key: ++sequence.current };
      if (pausedRef.current) setHeld((h) => add(h, [keyed]));
      else setLines((l) => add(l, [keyed]));
    },
    [add],
  );
  const resume = () => {
    setLines((l) => add(l, held));
    setHeld([]);
    setPaused(false);
  };
  const clear = useCallback(() => {
    setLines([]);
    setHeld([]);
  }, []);
  return { lines, held: held.length, paused, pause: () => setPaused(true), resume, push, clear };
}
