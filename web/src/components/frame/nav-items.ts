// The left navigation. An entry names the API paths its page needs; the type checks them
// against the generated API types, so a page cannot be listed before its API exists.
// Issue 7 adds Breakers, Config and Audit to "Operate"; issue 8 adds Kubernetes to "Platform".
import type { paths } from '../../api/schema.generated';
import type { IconName } from '../common/icons';

export interface NavItem {
  href: string;
  label: string;
  icon: IconName;
  /** The API paths the page reads (checked against the generated types). */
  requires: readonly (keyof paths)[];
}

export interface NavSection {
  title: string;
  items: readonly NavItem[];
}

export const NAV_SECTIONS: readonly NavSection[] = [
  {
    title: 'Observe',
    items: [
      { href: '/', label: 'Overview', icon: 'overview', requires: ['/api/v1/services', '/api/v1/topology'] },
      {
        href: '/topology',
        label: 'Topology',
        icon: 'topology',
        requires: ['/api/v1/topology', '/api/v1/services/{name}/red'],
      },
      {
        href: '/services',
        label: 'Services',
        icon: 'services',
        requires: ['/api/v1/services', '/api/v1/services/{name}'],
      },
      { href: '/traces', label: 'Traces', icon: 'traces', requires: ['/api/v1/traces', '/api/v1/traces/{traceId}'] },
      { href: '/logs', label: 'Logs', icon: 'logs', requires: ['/api/v1/logs', '/api/v1/logs/tail'] },
    ],
  },
  {
    title: 'Operate',
    items: [
      {
        href: '/breakers',
        label: 'Breakers',
        icon: 'breakers',
        requires: ['/api/v1/breakers', '/api/v1/breakers/commands', '/api/v1/breakers/transitions'],
      },
      {
        href: '/config',
        label: 'Configuration',
        icon: 'config',
        requires: ['/api/v1/config', '/api/v1/config/{service}/{environment}/versions'],
      },
      { href: '/audit', label: 'Audit log', icon: 'audit', requires: ['/api/v1/audit'] },
      { href: '/settings/tokens', label: 'API tokens', icon: 'key', requires: ['/api/v1/tokens', '/api/v1/whoami'] },
    ],
  },
  {
    title: 'Platform',
    items: [
      {
        href: '/kubernetes',
        label: 'Kubernetes',
        icon: 'kubernetes',
        requires: ['/api/v1/kubernetes/namespaces', '/api/v1/kubernetes/pods'],
      },
    ],
  },
];
