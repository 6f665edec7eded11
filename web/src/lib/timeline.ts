// Turns an instance's status transitions into segments over a time window, for the status
// timeline. Pure so the edge cases (no transitions, transitions before the window, removal)
// are tested without a browser.

export interface TransitionLike {
  at: number;
  from: string;
  to: string;
}

export interface Segment {
  status: string;
  start: number;
  end: number;
}

/**
 * Segments covering [from, to). `current` is the instance's status now, used when no
 * transition says what it was. Transitions may come in any order.
 */
export function timelineSegments(
  transitions: readonly TransitionLike[],
  from: number,
  to: number,
  current: string,
): Segment[] {
  if (to <= from) return [];
  const sorted = [...transitions].sort((a, b) => a.at - b.at);
  const before = sorted.filter((t) => t.at <= from).at(-1);
  const inside = sorted.filter((t) => t.at > from && t.at < to);
  let status = before ? before.to : (inside[0]?.from ?? current);
  let start = from;
  const segments: Segment[] = [];
  for (const transition of inside) {
    if (transition.at > start) segments.push({ status, start, end: transition.at });
    status = transition.to;
    start = transition.at;
  }
  segments.push({ status, start, end: to });
  // Merge neighbours with the same status (a transition that did not change the colour).
  return segments.reduce<Segment[]>((merged, segment) => {
    const last = merged.at(-1);
    if (last && last.status === segment.status) last.end = segment.end;
    else merged.push({ ...segment });
    return merged;
  }, []);
}
