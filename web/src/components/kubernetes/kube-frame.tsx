'use client';
// The frame of the Kubernetes section: title, the section's tabs, and a namespace chooser. The
// namespace lives in the URL (`namespace=`) and the tabs carry it, so a view is a link and
// moving between tabs keeps the scope.
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { $api } from '../../api/client';
import { PageHeader } from '../common/page-header';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { SourceGate } from './source-gate';

const TABS = [
  { href: '/kubernetes', label: 'Namespaces' },
  { href: '/kubernetes/workloads', label: 'Workloads' },
  { href: '/kubernetes/pods', label: 'Pods' },
  { href: '/kubernetes/events', label: 'Events' },
] as const;

function isActive(href: string, pathname: string): boolean {
  return href === '/kubernetes' ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

export function NamespacePicker() {
  const { params, update } = useUrlState();
  const namespaces = $api.useQuery('get', '/api/v1/kubernetes/namespaces');
  const current = params.get('namespace') ?? '';
  const names = namespaces.data?.items.map((n) => n.name) ?? [];
  if (current && !names.includes(current)) names.unshift(current);
  return (
    <>
      <label htmlFor="kube-namespace" className="text-sm text-muted">
        Namespace
      </label>
      <select
        id="kube-namespace"
        value={current}
        onChange={(event) => update({ namespace: event.target.value })}
        className="rounded-md border border-line bg-panel px-2 py-1.5 text-sm"
      >
        <option value="">All namespaces</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </>
  );
}

export function KubeFrame({
  title,
  description,
  breadcrumb,
  actions,
  scoped = true,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  breadcrumb?: ReactNode;
  actions?: ReactNode;
  /** Show the namespace chooser (list pages). */
  scoped?: boolean;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const href = useGlobalHref();
  const { params } = useUrlState();
  const namespace = params.get('namespace');
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        breadcrumb={breadcrumb}
        actions={
          <>
            {actions}
            {scoped && <NamespacePicker />}
          </>
        }
      />
      <nav aria-label="Kubernetes" className="mb-4 flex gap-1 border-b border-line">
        {TABS.map((tab) => {
          const active = isActive(tab.href, pathname);
          const target = namespace ? `${tab.href}?namespace=${encodeURIComponent(namespace)}` : tab.href;
          return (
            <Link
              key={tab.href}
              href={href(target)}
              aria-current={active ? 'page' : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm ${
                active ? 'border-accent font-medium text-accent' : 'border-transparent text-muted hover:text-fg'
              }`}
            >
              {tab.label}
            </Link>
          );
        })}
      </nav>
      <SourceGate>{children}</SourceGate>
    </>
  );
}
