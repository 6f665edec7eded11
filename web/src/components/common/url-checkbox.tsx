'use client';
// A checkbox whose state is kept in the URL (the page decides how), checked or cleared at once
// rather than when Next.js has applied the history change.
import type { ReactNode } from 'react';
import { useUrlValue } from '../frame/url-state';

export function UrlCheckbox({
  checked,
  onChange,
  children,
}: {
  /** The state the URL holds. */
  checked: boolean;
  /** Writes the new state to the URL. */
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  const [shown, setShown] = useUrlValue(checked);
  return (
    <label className="flex items-center gap-1">
      <input
        type="checkbox"
        checked={shown}
        onChange={(event) => {
          setShown(event.target.checked);
          onChange(event.target.checked);
        }}
      />
      {children}
    </label>
  );
}
