'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon, type IconName } from '../common/icons';
import { useGlobalHref } from './url-state';

export function NavLink({ href, label, icon }: { href: string; label: string; icon: IconName }) {
  const pathname = usePathname();
  const globalHref = useGlobalHref();
  const active = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={globalHref(href)}
      aria-current={active ? 'page' : undefined}
      className={`flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm transition-colors ${
        active ? 'bg-accent/15 font-medium text-accent' : 'text-muted hover:bg-raised hover:text-fg'
      }`}
    >
      <Icon name={icon} />
      {label}
    </Link>
  );
}
