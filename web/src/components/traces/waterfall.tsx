'use client';
// The trace waterfall: a virtualized list of memoized rows (only the rows on screen exist),
// so a 10,000-span trace scrolls smoothly. The tree, the visible rows and the critical path
// come from lib/span-tree (pure); collapse state is a set of span ids held here.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatDuration } from '../../lib/format';
import { serviceColor } from '../../lib/service-color';
import { parentsOf, type SpanNode, type SpanTree, visibleRows } from '../../lib/span-tree';
import type { TraceSpan } from '../../lib/trace-model';

const ROW_HEIGHT = 26;
const NAME_COLUMN = '42%';
/** Deeper spans stop moving right (and show their depth), so names keep room to be read. */
const MAX_INDENT = 14;

export function Waterfall({
  tree,
  critical,
  showCritical,
  selected,
  onSelect,
  matches = null,
  find,
  height = 560,
}: {
  tree: SpanTree<TraceSpan>;
  critical: ReadonlySet<string>;
  showCritical: boolean;
  selected: string | null;
  onSelect(spanId: string | null): void;
  /** Spans a find matched (highlighted, the others dimmed); null when nothing is being found. */
  matches?: ReadonlySet<string> | null;
  /** The find bar, shown in the toolbar. */
  find?: ReactNode;
  height?: number;
}) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const indexById = useMemo(() => new Map(rows.map((row, index) => [row.span.span_id, index])), [rows]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  const toggle = useCallback((spanId: string) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });
  }, []);

  // A deep link to a span: open its ancestors and bring it into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the selection changes
  useEffect(() => {
    if (!selected) return;
    const node = tree.byId.get(selected);
    if (!node) return;
    let ancestor = node.span.parent_span_id ? tree.byId.get(node.span.parent_span_id) : undefined;
    const closed: string[] = [];
    while (ancestor) {
      if (collapsed.has(ancestor.span.span_id)) closed.push(ancestor.span.span_id);
      ancestor = ancestor.span.parent_span_id ? tree.byId.get(ancestor.span.parent_span_id) : undefined;
    }
    if (closed.length) {
      setCollapsed((current) => new Set([...current].filter((id) => !closed.includes(id))));
      return;
    }
    const index = indexById.get(selected);
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selected, indexById]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = selected ? (indexById.get(selected) ?? -1) : -1;
    const node = index >= 0 ? rows[index] : undefined;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rows.length - 1;
    else if (event.key === 'ArrowLeft' && node && node.children.length && !collapsed.has(node.span.span_id))
      toggle(node.span.span_id);
    else if (event.key === 'ArrowRight' && node && collapsed.has(node.span.span_id)) toggle(node.span.span_id);
    else if (event.key === 'Escape') onSelect(null);
    else return;
    event.preventDefault();
    const target = next === null ? undefined : rows[next];
    if (next !== null && target) {
      onSelect(target.span.span_id);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 whitespace-nowrap border-b border-line px-3 py-1.5 text-xs">
        <button type="button" onClick={() => setCollapsed(new Set())} className="text-accent hover:underline">
          Expand all
        </button>
        <button type="button" onClick={() => setCollapsed(parentsOf(tree))} className="text-accent hover:underline">
          Collapse all
        </button>
        <span className="text-muted">
          {rows.length} of {tree.byId.size} spans shown · ↑↓ to move, ←→ to fold
        </span>
        {find && <div className="ml-auto">{find}</div>}
      </div>
      <div className="flex border-b border-line text-[11px] text-muted">
        <div style={{ width: NAME_COLUMN }} className="shrink-0 px-3 py-1">
          Service · operation
        </div>
        <div className="relative flex-1 py-1">
          {ticks.map((t) => (
            <span
              key={t}
              className="absolute top-1 whitespace-nowrap"
              style={{
                left: `${t * 100}%`,
                transform: t === 1 ? 'translateX(-100%)' : t ? 'translateX(-50%)' : undefined,
              }}
            >
              {formatDuration(tree.durationMs * t)}
            </span>
          ))}
          &nbsp;
        </div>
      </div>
      <div
        ref={scroller}
        role="tree"
        aria-label="Spans of the trace"
        aria-activedescendant={selected ? `span-${selected}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="relative overflow-auto"
        style={{ height }}
        data-testid="waterfall"
      >
        {/* contain: the rows' layout and paint never reach outside the list. */}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', contain: 'strict' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const node = rows[item.index]!;
            return (
              <Row
                key={node.span.span_id}
                node={node}
                top={item.start}
                totalMs={tree.durationMs}
                selected={node.span.span_id === selected}
                critical={showCritical && critical.has(node.span.span_id)}
                collapsed={collapsed.has(node.span.span_id)}
                match={matches === null ? null : matches.has(node.span.span_id)}
                onToggle={toggle}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

const Row = memo(function Row({
  node,
  top,
  totalMs,
  selected,
  critical,
  collapsed,
  match,
  onToggle,
  onSelect,
}: {
  node: SpanNode<TraceSpan>;
  top: number;
  totalMs: number;
  selected: boolean;
  critical: boolean;
  collapsed: boolean;
  /** Matched by the find (true), not matched (false), or no find (null). */
  match: boolean | null;
  onToggle(id: string): void;
  onSelect(id: string | null): void;
}) {
  const { span } = node;
  const color = serviceColor(span.service);
  const left = totalMs > 0 ? (node.start / totalMs) * 100 : 0;
  const width = totalMs > 0 ? Math.max(0.15, ((node.end - node.start) / totalMs) * 100) : 100;
  const failed = span.status === 'error';
  const hasChildren = node.children.length > 0;
  return (
    <div
      id={`span-${span.span_id}`}
      role="treeitem"
      tabIndex={-1}
      aria-level={node.depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? !collapsed : undefined}
      data-span-id={span.span_id}
      data-match={match === null ? undefined : match}
      onClick={() => onSelect(selected ? null : span.span_id)}
      onKeyDown={undefined}
      className={`absolute left-0 right-0 top-0 flex cursor-pointer items-center text-xs hover:bg-raised/70 ${
        selected ? 'bg-accent/12' : match ? 'bg-amber-200/50 dark:bg-amber-400/15' : ''
      } ${match === false ? 'opacity-40' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT, contain: 'strict' }}
    >
      <div
        style={{ width: NAME_COLUMN, paddingLeft: 8 + Math.min(node.depth, MAX_INDENT) * 12 }}
        className="flex min-w-0 shrink-0 items-center gap-1 pr-2"
      >
        {hasChildren ? (
          <button
            type="button"
            tabIndex={-1}
            aria-label={collapsed ? `Expand ${span.name}` : `Collapse ${span.name}`}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span.span_id);
            }}
            className="w-4 shrink-0 rounded text-center text-[10px] leading-4 text-muted hover:text-fg"
          >
            {/* A glyph, not an SVG: rows come and go on every scroll step, and text paints cheaply. */}
            {collapsed ? '▶' : '▼'}
          </button>
        ) : (
          <span className="w-4 shrink-0" />
        )}
        {node.depth > MAX_INDENT && (
          <span className="shrink-0 text-[10px] text-muted" title={`depth ${node.depth}`}>
            ↳{node.depth}
          </span>
        )}
        <span className="shrink-0 border-l-[3px] pl-1 font-medium" style={{ color, borderColor: color }}>
          {span.service}
        </span>
        <span className={`truncate ${failed ? 'text-red-600 dark:text-red-400' : ''}`} title={span.name}>
          {span.name}
        </span>
        {node.orphan && (
          <span className="shrink-0 text-[10px] text-amber-600" title="Its parent span is missing">
            orphan
          </span>
        )}
        {span.log_count > 0 && (
          <span className="shrink-0 text-[10px] text-muted" title={`${span.log_count} log records`}>
            ≡{span.log_count}
          </span>
        )}
      </div>
      <div className="relative h-full flex-1 border-l border-line/60">
        <div
          className={`absolute top-[7px] h-3 rounded-sm ${critical ? 'ring-2 ring-amber-400 ring-offset-0' : ''}`}
          style={{
            left: `${left}%`,
            width: `${width}%`,
            background: failed ? '#ef4444' : color,
            opacity: critical || !failed ? 0.9 : 0.75,
          }}
          title={`${formatDuration(node.end - node.start)} from +${formatDuration(node.start)}${critical ? ' · on the critical path' : ''}`}
        />
        {/* The duration: inside a wide bar, else beside it on whichever side has room. */}
        <span
          className={`absolute top-[5px] whitespace-nowrap text-[10px] ${width > 25 ? 'font-medium text-white' : 'text-muted'}`}
          style={
            width > 25
              ? { left: `calc(${left}% + 4px)` }
              : left + width > 75
                ? { right: `calc(${100 - left}% + 4px)` }
                : { left: `calc(${left + width}% + 4px)` }
          }
        >
          {formatDuration(node.end - node.start)}
        </span>
      </div>
    </div>
  );
});
