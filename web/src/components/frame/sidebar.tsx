// The left navigation frame (a server component; only the links are interactive).
import Link from 'next/link';
import { NAV_SECTIONS } from './nav-items';
import { NavLink } from './nav-link';

export function Sidebar() {
  const sections = NAV_SECTIONS.filter((section) => section.items.length > 0);
  return (
    <nav aria-label="Main" className="flex w-52 shrink-0 flex-col gap-5 border-r border-line bg-panel px-3 py-4">
      <Link href="/" className="flex items-center gap-2 px-2 text-base font-semibold tracking-tight">
        <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-accent" />
        Signalbox
      </Link>
      {sections.map((section) => (
        <div key={section.title}>
          <h2 className="px-2.5 pb-1 text-xs font-medium uppercase tracking-wider text-muted">{section.title}</h2>
          <ul className="flex flex-col gap-0.5">
            {section.items.map((item) => (
              <li key={item.href}>
                <NavLink href={item.href} label={item.label} icon={item.icon} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
