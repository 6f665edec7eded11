'use client';
// A search box whose text is one URL query parameter, replaced as the user types, so the
// filtered view is a link like every other. The box is uncontrolled while the user types (no
// keystroke races the URL update it caused); when the parameter changes from elsewhere (a
// "Clear the filters" button, Back), the box shows the URL's text instead of what was typed.
import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useUrlState } from '../frame/url-state';

export function UrlSearchInput({
  id,
  label,
  param,
  className,
  placeholder = 'Filter by name',
  onKeyDown,
}: {
  id: string;
  /** Said to screen readers and used by getByLabel in tests. */
  label: string;
  param: string;
  className: string;
  placeholder?: string;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
}) {
  const { params, update } = useUrlState();
  const value = params.get(param) ?? '';
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const box = input.current;
    if (box && box !== document.activeElement && box.value !== value) box.value = value;
  }, [value]);
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <input
        ref={input}
        id={id}
        type="search"
        placeholder={placeholder}
        onKeyDown={onKeyDown}
        defaultValue={value}
        onChange={(event) => update({ [param]: event.target.value }, { history: 'replace' })}
        className={className}
      />
    </>
  );
}
