'use client';
// How a node looks: services as rounded boxes coloured by health; databases as cylinders,
// messaging as a queue shape, external peers dashed. Name, then rate and error share. Groups:
// an expanded one is a labelled area behind its members; a collapsed one a stacked box with
// its members' totals.
import { Handle, type NodeProps, Position, ViewportPortal } from '@xyflow/react';
import { memo } from 'react';
import type { HealthStatus, TopologyNode } from '../../api/types';
import { formatPercent, formatRate } from '../../lib/format';
import type { GroupBy, GroupSummary } from './graph-model';

export interface TopologyNodeData extends Record<string, unknown> {
  node: TopologyNode;
  health: HealthStatus | null;
  dimmed: boolean;
}

const HEALTH_RING: Record<HealthStatus | 'none', string> = {
  passing: 'border-emerald-500',
  warning: 'border-amber-500',
  critical: 'border-red-500',
  unknown: 'border-slate-400',
  none: 'border-slate-400 border-dashed',
};

const HEALTH_FILL: Record<HealthStatus | 'none', string> = {
  passing: 'bg-emerald-500/10',
  warning: 'bg-amber-500/15',
  critical: 'bg-red-500/15',
  unknown: 'bg-panel',
  none: 'bg-panel',
};

function Figures({ node }: { node: TopologyNode }) {
  return (
    <div className="flex gap-2 text-[11px] tabular-nums text-muted">
      <span>{formatRate(node.rate)}</span>
      <span className={node.error_rate >= 0.05 ? 'font-semibold text-red-600 dark:text-red-400' : ''}>
        {formatPercent(node.error_rate)} err
      </span>
    </div>
  );
}

const handles = (
  <>
    <Handle
      type="target"
      position={Position.Left}
      className="!h-1 !w-1 !min-w-0 !border-0 !bg-transparent"
      isConnectable={false}
    />
    <Handle
      type="source"
      position={Position.Right}
      className="!h-1 !w-1 !min-w-0 !border-0 !bg-transparent"
      isConnectable={false}
    />
  </>
);

function ServiceNodeView({ data, selected }: NodeProps & { data: TopologyNodeData }) {
  const health = data.health ?? 'none';
  return (
    <div
      className={`flex h-[60px] w-[184px] flex-col justify-center rounded-lg border-2 px-3 shadow-sm ${HEALTH_RING[health]} ${HEALTH_FILL[health]} ${
        selected ? 'ring-2 ring-accent ring-offset-2 ring-offset-canvas' : ''
      } ${data.dimmed ? 'opacity-40' : ''}`}
      title={`${data.node.name}: ${data.health ?? 'not registered (seen in traces only)'}`}
    >
      {handles}
      <div className="truncate text-sm font-medium text-fg">{data.node.name}</div>
      <Figures node={data.node} />
    </div>
  );
}

function DatabaseNodeView({ data, selected }: NodeProps & { data: TopologyNodeData }) {
  return (
    <div
      className={`relative h-[60px] w-[184px] ${data.dimmed ? 'opacity-40' : ''}`}
      title={`${data.node.name} (database)`}
    >
      {handles}
      <svg viewBox="0 0 184 60" className="absolute inset-0 h-full w-full" aria-hidden="true">
        <path
          d="M4 12 C4 2 180 2 180 12 L180 48 C180 58 4 58 4 48 Z"
          className={`fill-panel ${selected ? 'stroke-accent' : 'stroke-slate-400'}`}
          strokeWidth={selected ? 3 : 2}
        />
        <path d="M4 12 C4 22 180 22 180 12" fill="none" className="stroke-slate-400" strokeWidth={1.5} />
      </svg>
      <div className="relative flex h-full flex-col justify-center px-4 pt-2">
        <div className="truncate text-sm font-medium text-fg">
          <span className="mr-1 text-[10px] uppercase text-muted">db</span>
          {data.node.name}
        </div>
        <Figures node={data.node} />
      </div>
    </div>
  );
}

function MessagingNodeView({ data, selected }: NodeProps & { data: TopologyNodeData }) {
  return (
    <div
      className={`relative h-[60px] w-[184px] ${data.dimmed ? 'opacity-40' : ''}`}
      title={`${data.node.name} (messaging)`}
    >
      {handles}
      <svg viewBox="0 0 184 60" className="absolute inset-0 h-full w-full" aria-hidden="true">
        <path
          d="M14 4 L170 4 L180 30 L170 56 L14 56 L4 30 Z"
          className={`fill-panel ${selected ? 'stroke-accent' : 'stroke-violet-400'}`}
          strokeWidth={selected ? 3 : 2}
        />
      </svg>
      <div className="relative flex h-full flex-col justify-center px-5">
        <div className="truncate text-sm font-medium text-fg">
          <span className="mr-1 text-[10px] uppercase text-muted">queue</span>
          {data.node.name}
        </div>
        <Figures node={data.node} />
      </div>
    </div>
  );
}

function ExternalNodeView({ data, selected }: NodeProps & { data: TopologyNodeData }) {
  return (
    <div
      className={`flex h-[60px] w-[184px] flex-col justify-center rounded-full border-2 border-dashed border-slate-400 bg-panel px-5 ${
        selected ? 'ring-2 ring-accent' : ''
      } ${data.dimmed ? 'opacity-40' : ''}`}
      title={`${data.node.name} (external)`}
    >
      {handles}
      <div className="truncate text-sm font-medium text-fg">{data.node.name}</div>
      <Figures node={data.node} />
    </div>
  );
}

export interface GroupAreaData extends Record<string, unknown> {
  name: string;
  by: GroupBy;
  members: number;
  onCollapse(): void;
}

/**
 * An expanded group: the area its members are laid out in, with its name and a collapse button.
 * The area lies beneath the edges (they cross it), so its header is drawn in the viewport's
 * portal, above them: an edge crossing the header would otherwise take the button's clicks.
 */
function GroupAreaView({ data, positionAbsoluteX, positionAbsoluteY }: NodeProps & { data: GroupAreaData }) {
  return (
    <div
      className="h-full w-full rounded-xl border border-dashed border-slate-400/70 bg-slate-500/[0.04] dark:border-slate-500/70 dark:bg-slate-400/[0.04]"
      data-testid={`topology-group-${data.name}`}
    >
      <ViewportPortal>
        <div
          className="nodrag nopan absolute flex items-center gap-2 px-3 pt-1.5 text-xs text-muted"
          style={{ transform: `translate(${positionAbsoluteX}px, ${positionAbsoluteY}px)`, pointerEvents: 'all' }}
          data-testid={`topology-group-header-${data.name}`}
        >
          <span className="text-[10px] uppercase tracking-wider">{data.by}</span>
          <span className="font-semibold text-fg">{data.name}</span>
          <span>· {data.members}</span>
          <button
            type="button"
            className="nodrag nopan text-accent underline"
            onClick={(event) => {
              event.stopPropagation();
              data.onCollapse();
            }}
          >
            Collapse
          </button>
        </div>
      </ViewportPortal>
    </div>
  );
}

export interface GroupNodeData extends Record<string, unknown> {
  group: GroupSummary;
  by: GroupBy;
}

/** A collapsed group: one node with its members' totals, stacked to say it holds several. */
function GroupNodeView({ data, selected }: NodeProps & { data: GroupNodeData }) {
  const { group } = data;
  const health = group.health ?? 'none';
  return (
    <div className="relative h-[60px] w-[184px]" title={`${data.by} ${group.name}: ${group.members.length} nodes`}>
      {handles}
      <div
        className={`absolute inset-0 translate-x-1.5 -translate-y-1.5 rounded-lg border-2 ${HEALTH_RING[health]} bg-panel opacity-60`}
      />
      <div
        className={`relative flex h-full flex-col justify-center rounded-lg border-2 bg-panel px-3 shadow-sm ${HEALTH_RING[health]} ${
          selected ? 'ring-2 ring-accent ring-offset-2 ring-offset-canvas' : ''
        }`}
      >
        <div className={`absolute inset-0 rounded-md ${HEALTH_FILL[health]}`} />
        <div className="relative truncate text-sm font-medium text-fg">
          <span className="mr-1 text-[10px] uppercase text-muted">{data.by === 'namespace' ? 'ns' : 'env'}</span>
          {group.name}
          <span className="ml-1 text-xs font-normal text-muted">×{group.members.length}</span>
        </div>
        <div className="relative flex gap-2 whitespace-nowrap text-[11px] tabular-nums text-muted">
          <span>{formatRate(group.rate)}</span>
          <span className={group.error_rate >= 0.05 ? 'font-semibold text-red-600 dark:text-red-400' : ''}>
            {formatPercent(group.error_rate)} err
          </span>
        </div>
      </div>
    </div>
  );
}

export const NODE_TYPES = {
  service: memo(ServiceNodeView),
  database: memo(DatabaseNodeView),
  messaging: memo(MessagingNodeView),
  external: memo(ExternalNodeView),
  area: memo(GroupAreaView),
  group: memo(GroupNodeView),
};
