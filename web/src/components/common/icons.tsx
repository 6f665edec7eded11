// The few icons the frame uses, inline (no icon library in the bundle). Decorative: each has
// aria-hidden, and the control that holds it carries the accessible name.
import type { SVGProps } from 'react';

const PATHS = {
  overview: 'M3 13h8V3H3v10Zm0 8h8v-6H3v6Zm10 0h8V11h-8v10Zm0-18v6h8V3h-8Z',
  topology:
    'M6 3a3 3 0 1 0 0 6 3 3 0 0 0 0-6Zm12 0a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM12 15a3 3 0 1 0 0 6 3 3 0 0 0 0-6ZM8 7.5h8M7.5 8.5 11 15.5M16.5 8.5 13 15.5',
  services: 'M4 5h16v4H4V5Zm0 5h16v4H4v-4Zm0 5h16v4H4v-4Z',
  traces: 'M3 5h10M6 10h12M9 15h8M5 20h6',
  logs: 'M5 4h14v16H5V4Zm3 4h8M8 12h8M8 16h5',
  breakers: 'M13 2 4 14h7l-1 8 9-12h-7l1-8Z',
  config:
    'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm9 4-2.2-1 .6-2.4-2-2-2.4.6L14 3h-4l-1 2.2-2.4-.6-2 2 .6 2.4L3 10v4l2.2 1-.6 2.4 2 2 2.4-.6L10 21h4l1-2.2 2.4.6 2-2-.6-2.4L21 14v-4Z',
  audit: 'M9 4h6v3H9V4ZM6 6h2m8 0h2v15H6V6m3 6h6m-6 4h4',
  kubernetes: 'M12 2 3 7v10l9 5 9-5V7l-9-5Zm0 6a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7',
  sun: 'M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10Zm0-5v2m0 16v2M4.2 4.2l1.4 1.4m12.8 12.8 1.4 1.4M2 12h2m16 0h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4',
  moon: 'M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8Z',
  monitor: 'M3 4h18v12H3V4Zm6 16h6m-3-4v4',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 4v5l3 2',
  chevronDown: 'm6 9 6 6 6-6',
  chevronRight: 'm9 6 6 6-6 6',
  external: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
  close: 'M6 6l12 12M18 6 6 18',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 5v14l12-7L7 5Z',
  search: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14Zm9 16-4-4',
  key: 'M15 3a6 6 0 0 0-5.6 8.1L3 17.5V21h3.5v-2h2v-2h2l1.4-1.4A6 6 0 1 0 15 3Zm1.5 3a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className = 'h-4 w-4', ...rest }: { name: IconName } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className={className}
      {...rest}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
